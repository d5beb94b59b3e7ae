-- One row per distinct raw activity row (exact duplicates removed: a repeated activity counts
-- once), typed, occurred_at in UTC, with the reason the row cannot be used. The SQL is macro
-- staged_activities, which an incremental int_activities_validated also runs on the raw rows of
-- the leads that changed.

{{ staged_activities(raw_table('activities')) }}
