"""Offices: the Kantor Imigrasi that run Pimpasa on one deployment, the regional offices (Kantor Wilayah)
above them, and which office (or region) each member of staff belongs to.

The bottom layer of the apps: it imports none of them. Areas (events) and tips, export jobs (reporting)
point down to an office; the rules of who sees what are in each owning app's `scoping` module, built
on `offices.scoping` (the office or region of a user).
"""
