-- All incidents of the current period [$2, $3) and of the previous one [$1, $2), with or
-- without a township: tells an empty period from townships without incidents.
SELECT count(*) FILTER (WHERE occurred_at >= $2::timestamptz)::int AS current,
       count(*) FILTER (WHERE occurred_at < $2::timestamptz)::int AS previous
FROM incidents
WHERE occurred_at >= $1::timestamptz AND occurred_at < $3::timestamptz
