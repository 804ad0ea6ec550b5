"""What linf tells the apps above it, which it does not import."""

from django.dispatch import Signal

# Sent once the transaction that closed guichets has committed (structures: their LINF's pks).
# demandes listens: a demande left with no open guichet moves to another LINF, or its family is told.
guichets_fermes = Signal()
