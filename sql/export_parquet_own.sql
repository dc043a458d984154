-- A view (<view>) that already carries province_code.
SELECT * FROM $view
