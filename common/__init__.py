"""What every app shares and none owns: the view base, the permission policy, links,
text cleaning, slugs, CSV cells and the timestamped model.

It sits below ``organizations/`` in the layering: it imports no app of ours, and every app
may import it. ``clustermissions/`` stays wiring only.
"""
