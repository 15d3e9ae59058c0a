# Reference timing for the back-test (bench/backtest-250.ts): R spatstat on the same split,
# as an analyst would do it — counts per 250 m pixel and two quartic kernel densities
# (the training incidents, and the same weighted by recency), each scored by PAI at 5 %.
# Usage: Rscript backtest-spatstat.R file.csv time-col lon-col lat-col utc-offset-hours train-end test-end cell-m epsg
# Prints one JSON line: {"seconds": …, "cells": …, "pai5": {"counts": …, "kde": …, "recency_kde": …}}.
suppressMessages({ library(spatstat); library(sf) })
a <- commandArgs(trailingOnly = TRUE)
t0 <- proc.time()[["elapsed"]]
d <- read.csv(a[1], stringsAsFactors = FALSE)
tz <- sprintf("Etc/GMT%+d", -as.integer(a[5]))
tt <- as.POSIXct(d[[a[2]]], tz = tz, tryFormats = c("%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"))
ok <- !is.na(tt) & !is.na(d[[a[3]]]) & !is.na(d[[a[4]]])
d <- d[ok, ]; tt <- tt[ok]
train_end <- as.POSIXct(a[6], tz = tz); test_end <- as.POSIXct(a[7], tz = tz)
keep <- tt < test_end
d <- d[keep, ]; tt <- tt[keep]
xy <- st_coordinates(st_transform(st_as_sf(d, coords = c(a[3], a[4]), crs = 4326), as.integer(a[9])))
cell <- as.numeric(a[8])
hull <- convexhull.xy(xy[, 1], xy[, 2])
tr <- tt < train_end
ptr <- ppp(xy[tr, 1], xy[tr, 2], window = hull)
pte <- ppp(xy[!tr, 1], xy[!tr, 2], window = hull)
age <- as.numeric(difftime(train_end, tt[tr], units = "days"))
counts <- pixellate(ptr, eps = cell)
actual <- pixellate(pte, eps = cell)
h <- bw.scott.iso(ptr)
kde <- density(ptr, sigma = h, kernel = "quartic", eps = cell, edge = FALSE)
rkde <- density(ptr, sigma = h, kernel = "quartic", eps = cell, edge = FALSE, weights = exp(-age / 90))
pai5 <- function(score) {
  s <- as.vector(as.matrix(score)); v <- as.vector(as.matrix(actual))
  inside <- !is.na(s) & !is.na(v)
  s <- s[inside]; v <- v[inside]
  k <- max(1, round(0.05 * length(s)))
  top <- order(-s)[seq_len(k)]
  (sum(v[top]) / sum(v)) / (k / length(s))
}
res <- c(counts = pai5(counts), kde = pai5(kde), recency_kde = pai5(rkde))
cells <- sum(!is.na(as.vector(as.matrix(counts))))
cat(sprintf('{"seconds": %.3f, "cells": %d, "pai5": {"counts": %.4f, "kde": %.4f, "recency_kde": %.4f}}\n',
            proc.time()[["elapsed"]] - t0, cells, res[["counts"]], res[["kde"]], res[["recency_kde"]]))
