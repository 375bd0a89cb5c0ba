-- params: list, notice, river, township, unit
-- Items by light on the chosen notice and on the notice before it (the change a leader asks for).
WITH scoped AS (
    SELECT notice_date, light
    FROM scoped_items($township, $river, $list, $unit)
    WHERE notice_date = $notice OR notice_date = previous_notice($notice)
)
SELECT
    l.light,
    count(s.light) FILTER (WHERE s.notice_date = $notice) AS n,
    count(s.light) FILTER (WHERE s.notice_date = previous_notice($notice)) AS prev_n,
    previous_notice($notice) AS prev_notice
FROM (VALUES ('red', 1), ('yellow', 2), ('green', 3)) AS l(light, ord)
LEFT JOIN scoped AS s ON s.light = l.light
GROUP BY l.light, l.ord
ORDER BY l.ord
