"""The back-office kit: the /administration/ site, its territory scoping and its CSV exports.

Shared machinery: it imports no app. What it must know of the project comes from the settings
(BACKOFFICE_SECTIONS: how the index groups the models; BACKOFFICE_TERRITOIRE: the model a person's
territory is made of, "app_label.Model", whose keys `departements_geres()` returns).
"""
