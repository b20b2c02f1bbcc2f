"""The roster engine: pure Python over frozen dataclasses, no ORM, no request.

``instance`` (a unit's week as inputs, and the roster), ``model`` (the CP-SAT model of one unit), ``solver`` (solves
it in phases, and many units in a process pool), ``results`` (what a solve returns: roster, certificate, breaches),
``checker`` (an independent count of every hard-rule violation), ``explain`` (the structural lower bound and the
explanation in words) and ``baseline`` (the round-robin rotation a head would draw by hand, for comparison).
``rosters.adapters`` turns the database into instances; the services store what the engine returns.
"""
