-- The shared filters (township, river, list, unit) in one place; NULL means "all".
CREATE MACRO scoped_items(township, river, list_kind, unit) AS TABLE
    SELECT *
    FROM items
    WHERE (township IS NULL OR township_id = township)
      AND (river IS NULL OR river_id = river)
      AND (list_kind IS NULL OR list = list_kind)
      AND (unit IS NULL OR unit_id = unit);

-- Monitoring sections under the township and river filters (water pages ignore list and unit).
CREATE MACRO scoped_sections(township, river) AS TABLE
    SELECT *
    FROM sections
    WHERE (township IS NULL OR township_id = township)
      AND (river IS NULL OR river_id = river);

-- Problems (patrols, complaints, inspection feedback) under the township, river and unit filters.
CREATE MACRO scoped_problems(township, river, unit) AS TABLE
    SELECT *
    FROM problems
    WHERE (township IS NULL OR township_id = township)
      AND (river IS NULL OR river_id = river)
      AND (unit IS NULL OR unit_id = unit);
