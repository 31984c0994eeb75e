// Check-in by code (0140; issue 13): the volunteer's own check-in and the organiser's code.
extension Catalog {
    static let enCheckin: [String: String] = [
        "rule.checkin_activity_unknown": "no such activity",
        "rule.checkin_action_known": "must be in or out",
        "rule.checkin_window": "check-in codes are accepted only from 30 minutes before the activity's start to 30 minutes after its end",
        "rule.checkin_locked": "too many wrong tries: self check-in on this activity is locked for 10 minutes",
        "rule.checkin_identity": "no volunteer with this number and these last 4 phone digits",
        "rule.checkin_code_wrong": "not the code shown now (codes change every 30 seconds)",
        "rule.checkin_code_used": "already used by this volunteer; wait for the next code",
        "rule.checkin_not_open": "not checked in to this activity",
        "rule.checkin_attempt_unknown": "no such try",
        "rule.checkin_attempt_uncommitted": "the try must be committed before it is answered",
        "rule.checkin_attempt_stale": "answered only within 2 minutes of the try",
        "rule.checkin_phone_last4_format": "must be the last 4 digits of the phone number",
        "rule.checkin_code_format": "must be the 6 digits shown on the organiser's screen",
        "rule.checkin_client_address": "not an IP address",
        "rule.checkin_code_organiser": "only the activity's organisers see its check-in code",
        "rule.setting_code_checkin_approval_valid":
            "must be organiser (every code check-in waits for approval) or automatic_up_to_8h (approved at once up to 8 hours a day)",
        "field.action": "action",
        "field.attempt": "try",
        "field.phone_last4": "last 4 phone digits",
        "field.checkin_code": "check-in code",
        "field.client_address": "client address",
        "field.code_checkin_approval": "code check-in approval",

        "help.activity_checkin_code.abstract":
            "Show the activity's current check-in code, until when it is accepted, and the QR code of the check-in address.",
        "help.activity_checkin_code.activity": "The activity id.",
        "help.activity_checkin_code.action": "in (check-in code) or out (check-out code).",
        "help.activity_checkin_code.base_url": "The address volunteers' phones open, before /checkin/… (default: https://vledger.invalid).",
        "help.activity_checkin_code.no_qr": "Print only the code and its time, without the QR code.",
        "help.hours_self_check_in.abstract":
            "Check in as a volunteer does on their phone, with number, last 4 phone digits and code (for the service login or the owner).",
        "help.hours_self_check_out.abstract":
            "Check out as a volunteer does on their phone, with number, last 4 phone digits and code (for the service login or the owner).",
        "help.self_checkin.activity": "The activity id.",
        "help.self_checkin.volunteer": "The volunteer number.",
        "help.self_checkin.phone_last4": "The last 4 digits of the volunteer's phone.",
        "help.self_checkin.code": "The 6-digit code shown on the organiser's screen.",
        "help.self_checkin.client_address": "The address the request came from (recorded with the check-in).",
        "ui.checkin.code_in": "Check-in code for activity {activity}: {code}",
        "ui.checkin.code_out": "Check-out code for activity {activity}: {code}",
        "ui.checkin.valid_until": "Accepted until {time}; a new code every 30 seconds.",
        "ui.checkin.address": "Check-in address: {url}",
        "ui.checkin.recorded_in": "checked in at {time} (check-in {checkin})",
        "ui.checkin.recorded_out": "checked out at {time}: {minutes} minutes credited (entry {entry}), {status}",
        "ui.checkin.recorded_out_short": "checked out at {time}: under a minute served, nothing credited",
        "ui.checkin.approved": "approved",
        "ui.checkin.pending": "waiting for an organiser's approval",
    ]
}
