-- Only vledger's roles connect to a city's database, and nobody makes temporary objects in it
-- (a temporary table with a trigger is the one place a login could run code of its own).
-- psql variable: db.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO vledger_staff, vledger_organiser, vledger_office, vledger_admin', :'db') \gexec
