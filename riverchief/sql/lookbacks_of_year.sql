-- params: notice, river, township, unit, year
-- Look-back re-inspections of the year up to the notice, with the problem's unit and place.
WITH latest AS (
    SELECT problem_id, arg_max(unit_id, notice_date) AS unit_id, arg_max(title, notice_date) AS title,
           arg_max(river_id, notice_date) AS river_id, arg_max(township_id, notice_date) AS township_id
    FROM problems
    GROUP BY problem_id
)
SELECT l.lookback_id, l.date, l.problem_id, p.title, u.name AS unit_name, r.name AS river_name, l.result,
       l.inspector, l.notes
FROM lookbacks AS l
JOIN latest AS p USING (problem_id)
LEFT JOIN units AS u USING (unit_id)
LEFT JOIN rivers AS r USING (river_id)
WHERE year(l.date) = $year AND l.date <= $notice
  AND in_place(p.township_id, p.river_id, $township, $river) AND of_unit(p.unit_id, $unit)
ORDER BY l.date, l.lookback_id
