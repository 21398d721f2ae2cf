"""Monitoring and evaluation across offices: per office and per Desa Binaan Imigrasi, per month and
quarter, the sessions held against the national role's targets, the residents reached, the tips by
category, the referrals and their outcomes and the working-day deadlines met (issue 25).

Figures only: no tip's text, no reporter, no attendee's name ever reaches these pages or the quarterly
workbook, and every count of tips that leaves an office is shown through pimpasa.suppression.
"""
