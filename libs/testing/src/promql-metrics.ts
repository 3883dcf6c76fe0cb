// Metric names referenced by a PromQL expression: everything that is an identifier outside label
// matchers, grouping clauses, strings and durations, and is not a function or keyword.
const FUNCTIONS_AND_KEYWORDS = new Set(
  (
    'sum min max avg count stddev stdvar topk bottomk quantile count_values group by without on ignoring ' +
    'group_left group_right and or unless bool offset rate irate increase delta idelta deriv ' +
    'histogram_quantile absent absent_over_time avg_over_time max_over_time min_over_time sum_over_time ' +
    'count_over_time last_over_time predict_linear clamp clamp_min clamp_max abs ceil floor round ' +
    'time vector scalar label_replace label_join sort sort_desc changes resets timestamp inf nan'
  ).split(' '),
);

export function metricsIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ');
  const names = stripped.match(/[A-Za-z_:][A-Za-z0-9_:]*/g) ?? [];
  return [...new Set(names.filter((name) => !FUNCTIONS_AND_KEYWORDS.has(name) && !/^\d/.test(name)))];
}
