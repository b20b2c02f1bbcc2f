"""Organisation screens: staff list and record, unit tree, positions, one-stop desks and duty posts, the import.

Who: everybody reads what ``telework.organization.scope`` lets them see (a unit head their subtree, an agency head or
HR officer their agency, Home Affairs the city); agency HR (own agency), Home Affairs and system administrators
import and edit (``scope.can_manage_organisation``). Views shape requests; rules live in ``services`` and
``importing``, reads in ``selectors``.
"""
