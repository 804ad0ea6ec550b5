"""The collection of structures from partners' lists (a CAF's spreadsheet, an open-data file, data·inclusion).

Reading (`lecture`) turns a file into numbered rows; the mapping (`correspondance`) says what each column
means; `lignes` turns a row into a fiche's values or a reason to reject it; `communes` and `geocodage`
place it; `service` runs a simulation or an import and writes the report. The README's "Importer des
fiches" is the user's guide.
"""
