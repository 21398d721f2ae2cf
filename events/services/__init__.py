"""Business rules for sessions and attendance. Views, admin views, tasks and commands call these.

Import the module, not its names (`from events.services import checkin`, then
`checkin.perform_checkin(...)`), as reporting does with its services: the module says where a rule
lives. This package re-exports nothing.

- `checkin`: recording who came (every door: the QR form, walk-ins, tickets), refusals, corrections;
- `people`: who is the same person (one phone, a family, a typo in a name);
- `consent`: consent as proof (who agreed, to which privacy notice, how);
- `tokens`: the QR passes, form passes and tickets; `errors`: the refusals and their messages;
- `sessions`: a session's steps, totals and who may run it; `public`: what visitors see;
- `field`: field mode (entries sent from a phone, perhaps offline);
- `checkin_cache`: the session a check-in reads, cached; `retention`: anonymising old records.
"""
