from django.dispatch import Signal

# A simulation's result was shown (page or API). The simulator imports no other app: whoever
# wants to know (the usage counters) connects to it from monenfant/apps.py.
simulation_faite = Signal()
