-- A view (<view>) that carries its own division_code: the province code from it.
SELECT *, province_code(division_code) AS province_code FROM $view
