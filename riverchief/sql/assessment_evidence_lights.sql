-- params: light, notice, unit, year
-- The red or yellow lights of one unit in the assessment year, one row per item and notice.
SELECT i.notice_date, i.item_id, i.title, i.light, i.light_reason, i.override_light IS NOT NULL AS overridden
FROM items AS i
WHERE i.unit_id = $unit
  AND year(i.notice_date) = $year
  AND i.notice_date <= $notice
  AND i.light = $light
ORDER BY i.notice_date, i.item_id
