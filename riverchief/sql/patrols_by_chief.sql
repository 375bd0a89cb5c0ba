-- Patrols of the year up to the notice, per chief: how many, and what they reported.
SELECT
    p.chief,
    p.chief_level,
    any_value(r.name) AS river_name,
    any_value(t.name) AS township_name,
    count(*) AS patrols,
    sum(p.problems_reported) AS problems_reported,
    sum(p.serious_reported) AS serious_reported
FROM patrols AS p
LEFT JOIN rivers AS r USING (river_id)
LEFT JOIN townships AS t ON t.township_id = p.township_id
WHERE year(p.date) = $year AND p.date <= $notice
  AND ($township IS NULL OR p.township_id = $township)
  AND ($river IS NULL OR p.river_id = $river)
GROUP BY p.chief, p.chief_level, p.river_id
ORDER BY p.chief_level, p.chief
