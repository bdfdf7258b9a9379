"""Planning the bus des droits: where should it stop, and in which order? Framework-free.

- :mod:`.territory`: the communes of a territory (population, a point) and the permanent
  partners that give help for a right, with the communes each one serves;
- :mod:`.coverage`: travel time from each commune to its nearest permanent partner, by car
  and without a car; « zones éloignées » beyond a threshold; totals;
- :mod:`.selection`: which stops, as a maximal covering location problem (OR-Tools CP-SAT);
- :mod:`.tours`: each day's order of stops from the depot (OR-Tools routing);
- :mod:`.month`: a proposed month (stops, days, coverage before → after) and its
  publication as dated visits.
"""
