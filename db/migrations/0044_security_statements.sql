-- Statements (志愿服务证明, 0030) are issued by community staff, the office and admins: they take
-- the next number of the year and keep what was printed. The summary tables of the metrics are
-- written only by their owner-rights triggers, so no role gets write privileges on them.
GRANT INSERT, UPDATE ON statement_counter TO vledger_staff, vledger_office, vledger_admin;
GRANT INSERT ON statement_issue TO vledger_staff, vledger_office, vledger_admin;
