"""Rosters: who works on site and who at home on each working day of a unit, within the rules and as fairly as possible.

The engine (``rosters.engine``) is pure Python over frozen dataclasses (no ORM): ``instance`` (inputs and the roster), ``solver``
(the CP-SAT model, one per unit, and a process pool for many units), ``checker`` (an independent count of every
hard-rule violation), ``explain`` (the structural lower bound and the explanation in words) and ``baseline``
(the round-robin rotation a head would draw by hand, for comparison).
"""
