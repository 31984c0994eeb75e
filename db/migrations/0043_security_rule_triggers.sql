-- The rule triggers of the registry (0010) and the ledger (0020, 0021) read rows the person
-- writing may not see: an organiser's entry is checked against the volunteer's registration and
-- deregistration, which organisers cannot read; a staff member's move is checked against a
-- deregistration recorded elsewhere. The rules must hold for every role, so these functions run
-- with their owner's rights and a fixed search_path; row-level security still decides, on the
-- row being written, what each person may write. Functions that write rows in the person's name
-- (check-out, closing open check-ins, the rejection cascade) keep the caller's rights.
ALTER FUNCTION vl_volunteer_registration_rules() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION vl_volunteer_fixed_fields() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION vl_volunteer_district_rules() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION vl_volunteer_deregistration_rules() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION vl_registry_history_fixed() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION vl_check_volunteer_serving(bigint, date) SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION vl_hours_entry_rules() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION vl_hours_decision_rules() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION vl_refuse_ledger_change() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION vl_activity_change_rules() SECURITY DEFINER SET search_path = public, pg_temp;
ALTER FUNCTION vl_hours_checkin_rules() SECURITY DEFINER SET search_path = public, pg_temp;

-- Name and phone corrections are kept by the trigger in the corrector's own name.
GRANT INSERT ON volunteer_correction TO vledger_staff, vledger_admin;
-- Organisers run check-in and check-out on their activities.
GRANT INSERT ON hours_checkin, hours_checkout TO vledger_organiser, vledger_admin;
