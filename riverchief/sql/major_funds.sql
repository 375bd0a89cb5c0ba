-- params: notice, river, township, unit, year
-- Major projects of the year: funds secured and spent (万元) at each quarter's last notice.
SELECT i.notice_date, quarter(i.notice_date) AS quarter, i.item_id, i.title, u.name AS unit_name,
       i.funds_wan, i.funds_spent_wan, i.progress, i.light
FROM scoped_items($township, $river, 'major', $unit) AS i
LEFT JOIN units AS u USING (unit_id)
WHERE i.list_year = $year AND year(i.notice_date) = $year AND i.notice_date <= $notice
  AND month(i.notice_date) IN (3, 6, 9, 12, month(CAST($notice AS DATE)))
ORDER BY i.notice_date, i.item_id
