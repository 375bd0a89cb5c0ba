-- params: notice, radius_m, river, township, unit, window_days, year
-- The same problem reported again at the same river and place (within $radius_m metres) no later than
-- $window_days after the first was closed: a suspected relapse, even without a look-back.
WITH latest AS (
    SELECT problem_id, arg_max(title, notice_date) AS title, arg_max(river_id, notice_date) AS river_id,
           arg_max(unit_id, notice_date) AS unit_id, arg_max(township_id, notice_date) AS township_id,
           any_value(lon) AS lon, any_value(lat) AS lat, min(found_date) AS found_date,
           max(closed_date) AS closed_date
    FROM problems
    WHERE notice_date <= $notice
    GROUP BY problem_id
)
SELECT
    a.problem_id AS closed_problem,
    a.title AS closed_title,
    a.closed_date,
    b.problem_id AS new_problem,
    b.title AS new_title,
    b.found_date,
    date_diff('day', a.closed_date, b.found_date) AS days_after_closing,
    round(111320 * sqrt(power((b.lon - a.lon) * cos(radians(a.lat)), 2) + power(b.lat - a.lat, 2))) AS metres_apart,
    r.name AS river_name,
    u.name AS unit_name
FROM latest AS a
JOIN latest AS b
  ON b.river_id = a.river_id AND b.title = a.title AND b.problem_id <> a.problem_id
 AND b.found_date > a.closed_date AND b.found_date <= a.closed_date + to_days(CAST($window_days AS INTEGER))
LEFT JOIN rivers AS r ON r.river_id = a.river_id
LEFT JOIN units AS u ON u.unit_id = a.unit_id
WHERE a.closed_date IS NOT NULL
  AND 111320 * sqrt(power((b.lon - a.lon) * cos(radians(a.lat)), 2) + power(b.lat - a.lat, 2)) <= $radius_m
  AND year(b.found_date) = $year
  AND in_place(a.township_id, a.river_id, $township, $river) AND of_unit(a.unit_id, $unit)
ORDER BY b.found_date
