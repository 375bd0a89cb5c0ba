-- params: list, notice, river, township, unit
-- Red and yellow lights per responsible unit, counted per notice, from January to the chosen notice
-- (what the year-end assessment counts: an item red on three notices is three red lights).
SELECT
    u.unit_id,
    u.name AS unit_name,
    u.kind AS unit_kind,
    count(*) FILTER (WHERE i.light = 'red') AS red_lights,
    count(*) FILTER (WHERE i.light = 'yellow') AS yellow_lights,
    count(DISTINCT i.notice_date) AS notices
FROM scoped_items($township, $river, $list, $unit) AS i
JOIN units AS u USING (unit_id)
WHERE i.notice_date <= $notice
  AND year(i.notice_date) = year(CAST($notice AS DATE))
GROUP BY ALL
HAVING count(*) FILTER (WHERE i.light IN ('red', 'yellow')) > 0
ORDER BY red_lights DESC, yellow_lights DESC, unit_name
