-- params: item, notice, unit, year
-- 督办 records for a notice's period (after the previous notice, up to this one and the following
-- month's actions on it), optionally for one unit or one item.
SELECT
    s.record_id,
    s.kind,
    s.date,
    s.notice_date,
    s.unit_id,
    u.name AS unit_name,
    s.item_id,
    i.title AS item_title,
    s.by_whom,
    s.person,
    s.content
FROM supervision AS s
LEFT JOIN units AS u USING (unit_id)
LEFT JOIN (SELECT DISTINCT item_id, title FROM items) AS i USING (item_id)
WHERE ($notice IS NULL OR s.notice_date = $notice)
  AND ($year IS NULL OR year(s.notice_date) = $year)
  AND of_unit(s.unit_id, $unit)
  AND ($item IS NULL OR s.item_id = $item)
ORDER BY s.date DESC, s.record_id
