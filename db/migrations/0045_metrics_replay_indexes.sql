-- `metrics --as-recorded-at T` reads the rollup and takes away what was recorded or approved
-- after T (the ledger is append-only and a decision is final, so the records as they stood at T
-- are the records now less those). These indexes find the later rows without reading the whole
-- ledger: a report replayed days after it was filed touches days of records, not years.
CREATE INDEX hours_decision_approved_by_decided_at ON hours_decision (decided_at) WHERE decision = 'approved';
CREATE INDEX hours_entry_by_recorded_at ON hours_entry (recorded_at);
