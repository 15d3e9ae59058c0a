-- Today's incidents (China time, $1 = today's midnight, $2 = now) per top-level category
-- and per hour, against the same span of the same weekday a week before.
SELECT split_part(i.category_code, '.', 1) AS category,
       (i.occurred_at >= $1::timestamptz) AS today,
       extract(hour FROM (i.occurred_at AT TIME ZONE 'UTC') + interval '8 hours')::int AS hour,
       count(*)::int AS n
FROM incidents i
WHERE (i.occurred_at >= $1::timestamptz AND i.occurred_at < $2::timestamptz)
   OR (i.occurred_at >= $1::timestamptz - interval '7 days' AND i.occurred_at < $1::timestamptz - interval '6 days')
GROUP BY 1, 2, 3;
