-- params: list, notice, river, township, unit
-- Lights per responsible unit on the chosen notice, with last notice's red count for the change.
WITH scoped AS (
    SELECT * FROM scoped_items($township, $river, $list, $unit)
)
SELECT
    u.unit_id,
    u.name AS unit_name,
    u.kind AS unit_kind,
    count(*) FILTER (WHERE s.notice_date = $notice AND s.light = 'red') AS red,
    count(*) FILTER (WHERE s.notice_date = $notice AND s.light = 'yellow') AS yellow,
    count(*) FILTER (WHERE s.notice_date = $notice AND s.light = 'green') AS green,
    count(*) FILTER (WHERE s.notice_date = previous_notice($notice) AND s.light = 'red') AS prev_red
FROM scoped AS s
JOIN units AS u USING (unit_id)
WHERE s.notice_date = $notice OR s.notice_date = previous_notice($notice)
GROUP BY ALL
HAVING count(*) FILTER (WHERE s.notice_date = $notice) > 0
ORDER BY red DESC, yellow DESC, unit_name
