-- Only vledger's roles connect to a city's database. They may make temporary tables: imports
-- stage CSV rows in them (a temporary object runs with its creator's rights only, so it lifts
-- nothing). psql variable: db.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO vledger_staff, vledger_organiser, vledger_office, vledger_admin', :'db') \gexec
