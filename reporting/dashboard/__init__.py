"""Each role's dashboard on the admin home: the month and the year of sessions, attendance and tips,
per area, the open tips, the exports waiting, recent publishing. Figures are scoped by
the apps' scoping modules (an officer sees only their areas'), one query per panel, cached briefly; charts
are drawn on the server as SVG, each with a table beside it."""
