#!/usr/bin/env Rscript
# Reference values for the Gi* tests, computed once with R spdep (Debian r-cran-spdep).
# Writes tests/fixtures/hotspots/gistar-*.json: cell centroids (metres), counts, the
# weights' definition, spdep::localG Gi* z-values (self included, binary weights),
# two-sided p-values and Benjamini–Hochberg adjusted p-values.
#   Rscript scripts/reference/gistar-fixtures.R
suppressMessages(library(spdep))

num <- function(v) paste0("[", paste(sprintf("%.15g", v), collapse = ","), "]")
write_case <- function(name, coords, counts, weights, z) {
  p <- 2 * pnorm(-abs(z))
  json <- paste0(
    "{\n",
    "  \"name\": \"", name, "\",\n",
    "  \"spdep\": \"", as.character(packageVersion("spdep")), "\",\n",
    "  \"weights\": ", weights, ",\n",
    "  \"x\": ", num(coords[, 1]), ",\n",
    "  \"y\": ", num(coords[, 2]), ",\n",
    "  \"counts\": ", num(counts), ",\n",
    "  \"gstar\": ", num(z), ",\n",
    "  \"p\": ", num(p), ",\n",
    "  \"pBH\": ", num(p.adjust(p, method = "BH")), "\n",
    "}\n")
  out <- file.path("tests", "fixtures", "hotspots", paste0("gistar-", name, ".json"))
  writeLines(json, out, sep = "")
  cat("wrote", out, "\n")
}

# Case 1: a 14 x 11 fishnet of 250 m cells with a hotspot and a cold corner; fixed
# distance band of 600 m between centroids (3 x 3 plus the four cells 2 away in line).
set.seed(20261121)
size <- 250
g <- expand.grid(i = 0:13, j = 0:10)
coords <- cbind((g$i + 0.5) * size, (g$j + 0.5) * size)
rate <- 2 + 10 * exp(-((g$i - 4)^2 + (g$j - 6)^2) / 6) - 1.5 * (g$i > 10 & g$j < 3)
counts <- rpois(nrow(g), pmax(rate, 0.2))
nb <- include.self(dnearneigh(coords, 0, 600))
z <- as.numeric(localG(counts, nb2listw(nb, style = "B")))
write_case("fishnet-distance", coords, counts, "{ \"kind\": \"distance\", \"metres\": 600 }", z)

# Case 2: 90 irregular points (no distance ties) with k = 6 nearest neighbours.
pts <- cbind(runif(90, 0, 5000), runif(90, 0, 4000))
lam <- 1 + 8 * exp(-((pts[, 1] - 1500)^2 + (pts[, 2] - 3000)^2) / 1e6)
counts2 <- rpois(90, lam)
nb2 <- include.self(knn2nb(knearneigh(pts, k = 6)))
z2 <- as.numeric(localG(counts2, nb2listw(nb2, style = "B")))
write_case("points-knn", pts, counts2, "{ \"kind\": \"knn\", \"k\": 6 }", z2)

# Case 3: a hexagon-like staggered lattice with many zero counts, distance band 1100 m
# (clear of the lattice distances 1000 and 1145.6, so rounding cannot decide membership).
hx <- expand.grid(i = 0:12, j = 0:9)
hcoords <- cbind(hx$i * 500 + (hx$j %% 2) * 250, hx$j * 433.0127)
hcounts <- rpois(nrow(hx), ifelse(hx$i < 4, 3, 0.3))
nb3 <- include.self(dnearneigh(hcoords, 0, 1100))
z3 <- as.numeric(localG(hcounts, nb2listw(nb3, style = "B")))
write_case("hex-distance", hcoords, hcounts, "{ \"kind\": \"distance\", \"metres\": 1100 }", z3)
