// The class (0 = lowest) of a kernel density value among the surface's quantile breaks.
// No imports: the page's client code and the printed report share it.
export function kdeClass(density: number, breaks: number[]): number {
  let k = 0;
  while (k < breaks.length && density > breaks[k]!) k++;
  return k;
}
