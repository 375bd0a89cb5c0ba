-- params: notice, river, township, unit, year
-- Patrols of the year up to the notice, per chief: how many, and what they reported (within the filters).
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
  AND in_place(p.township_id, p.river_id, $township, $river)
  -- a unit's patrols: those in its township (a 镇街) and on the rivers it leads (a 部门 or a 镇街)
  AND ($unit IS NULL
       OR p.township_id = (SELECT township_id FROM units WHERE unit_id = $unit)
       OR p.river_id IN (SELECT river_id FROM rivers WHERE lead_unit_id = $unit))
GROUP BY p.chief, p.chief_level, p.river_id
ORDER BY p.chief_level, p.chief, p.river_id  -- a chief of several rivers: one row each, always in this order
