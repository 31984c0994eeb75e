/// The organiser's pages, phone first (usable at 360 px).
enum WebOrganiserTemplates {
    static let activities = """
        <h1>{{t.activities.heading}}</h1>
        <p><a class="button" href="/activities/new">{{t.activities.new}}</a></p>
        {{^activities}}<p class="notice ok">{{t.activities.none}}</p>{{/activities}}
        {{#activities}}<section class="card" id="activity-{{id}}"><h2>{{title}}</h2>
        <p>{{#tr}}activities.when{{/tr}}<br><span class="hint">{{#tr}}activities.meta{{/tr}}</span></p>
        <p><a class="button" href="/activities/{{id}}/screen?action=in">{{t.activities.code_in}}</a><a class="button" href="/activities/{{id}}/screen?action=out">{{t.activities.code_out}}</a>
        <a class="button secondary" href="/activities/{{id}}/attendance">{{t.attendance.title}}</a></p></section>{{/activities}}
        """

    static let screen = """
        <style>.screen{text-align:center}.screen .code{font-size:min(22vw,7rem);font-weight:700;letter-spacing:.12em;font-variant-numeric:tabular-nums;margin:.2rem 0}\
        .screen .qr svg{width:min(80vw,22rem);height:auto}.screen .count{font-size:1.3rem}</style>
        <section class="screen" aria-live="polite">
        <h1>{{#tr}}screen.heading{{/tr}}</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        {{#code}}<p class="code" id="code" aria-label="{{#tr}}screen.code_label{{/tr}}">{{code}}</p>
        <div class="qr" id="qr" role="img" aria-label="{{#tr}}screen.qr_label{{/tr}}">{{{qr}}}</div>
        <p class="count">{{t.screen.next_before}}<strong id="countdown">{{seconds}}</strong>{{t.screen.next_after}}</p>
        <p class="hint">{{#tr}}screen.hint{{/tr}}</p>
        <script>(function(){var left={{seconds}},el=document.getElementById('countdown');setInterval(function(){left--;\
        if(left<=0){location.reload();}else{el.textContent=left;}},1000);})();</script>{{/code}}
        <p><a class="button secondary" href="/activities/{{id}}/screen?action={{otherAction}}">{{#tr}}screen.switch{{/tr}}</a>
        <a class="button secondary" href="/activities">{{t.activities.back}}</a></p></section>
        """

    static let checkin = """
        <h1>{{#tr}}checkin.heading{{/tr}}</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/checkin/{{id}}" class="card" novalidate>
        <input type="hidden" name="action" value="{{action}}">
        <label for="volunteer">{{t.checkin.volunteer}}</label>
        <input id="volunteer" name="volunteer" value="{{volunteer}}" autocomplete="off" required {{#invalid_volunteer}}aria-invalid="true" aria-describedby="volunteer-error"{{/invalid_volunteer}}>
        {{#error_volunteer}}<p class="field-error" id="volunteer-error">{{error_volunteer}}</p>{{/error_volunteer}}
        <label for="phone_last4">{{t.checkin.phone_last4}}</label>
        <input id="phone_last4" name="phone_last4" value="{{phone_last4}}" inputmode="numeric" maxlength="4" autocomplete="off" required {{#invalid_phone_last4}}aria-invalid="true" aria-describedby="phone_last4-error"{{/invalid_phone_last4}}>
        {{#error_phone_last4}}<p class="field-error" id="phone_last4-error">{{error_phone_last4}}</p>{{/error_phone_last4}}
        <label for="code">{{#tr}}checkin.code{{/tr}}</label>
        <input id="code" name="code" value="{{code}}" inputmode="numeric" maxlength="6" autocomplete="off" required {{#invalid_code}}aria-invalid="true" aria-describedby="code-error"{{/invalid_code}}>
        {{#error_code}}<p class="field-error" id="code-error">{{error_code}}</p>{{/error_code}}
        <p><button type="submit" style="width:100%;font-size:1.3rem;min-height:3.5rem">{{actionName}}</button></p></form>
        """

    static let newActivity = """
        <h1>{{t.new_activity.title}}</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/activities/new" class="card" id="new-activity">
        <input type="hidden" name="csrf" value="{{csrf}}">
        \(WebOfficeTemplates.field("title", "{{t.new_activity.name}}", "required"))
        \(WebOfficeTemplates.districtSelect)
        \(WebOfficeTemplates.field("organiser", "{{t.new_activity.organiser}}", "required"))
        \(WebOfficeTemplates.field("starts", "{{t.new_activity.starts}}", "type=\"datetime-local\" required"))
        \(WebOfficeTemplates.field("ends", "{{t.new_activity.ends}}", "type=\"datetime-local\" required"))
        {{#has_categories}}<label for="category">{{t.new_activity.category}}</label><select id="category" name="category" aria-describedby="category-error">\
        <option value="">{{t.new_activity.category_default}}</option>{{#categories}}<option value="{{code}}" {{#selected}}selected{{/selected}}>{{indent}}{{#tr}}form.named_code{{/tr}}</option>{{/categories}}</select>
        <p class="field-error" id="category-error" aria-live="polite">{{error_category}}</p>{{/has_categories}}
        {{^has_categories}}\(WebOfficeTemplates.field("category", "{{t.new_activity.category_optional}}")){{/has_categories}}
        <p><button type="submit">{{t.new_activity.submit}}</button></p></form>
        """

    static let attendance = """
        <h1>{{#tr}}attendance.heading{{/tr}}</h1>
        <p class="hint">{{t.attendance.hint_before}}<strong id="open">{{open}}</strong>{{t.attendance.hint_after}}</p>
        <form method="get" action="/activities/{{id}}/attendance" class="card">
        <label for="q">{{t.attendance.q}}</label><input id="q" name="q" value="{{q}}" autocomplete="off">
        <p><button type="submit">{{t.form.find}}</button></p></form>
        {{#searched}}{{^found}}<p class="notice bad" id="none">{{#tr}}attendance.none{{/tr}}</p>{{/found}}{{/searched}}
        {{#found}}<section class="card" id="v-{{number}}"><h2>{{#tr}}form.named_number{{/tr}}</h2><p class="hint">{{#tr}}attendance.found_hint{{/tr}}</p>
        <form method="post" action="/activities/{{id}}/attendance" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="volunteer" value="{{number}}"><input type="hidden" name="action" value="in"><button type="submit">{{t.action.in}}</button></form>
        <form method="post" action="/activities/{{id}}/attendance" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="volunteer" value="{{number}}"><input type="hidden" name="action" value="out"><button type="submit" class="secondary">{{t.action.out}}</button></form>
        </section>{{/found}}
        """

    static let pending = """
        <h1>{{t.pending.title}}</h1>
        <p class="hint">{{t.pending.hint}}</p>
        {{^entries}}<p class="notice ok" id="none">{{t.pending.none}}</p>{{/entries}}
        {{#entries}}<section class="card" id="entry-{{id}}"><h2>{{#tr}}form.named_number{{/tr}}</h2>
        <p>{{title}} · {{start}} · <strong>{{hours}}</strong>{{#tr}}pending.minutes{{/tr}}<br><span class="hint">{{#tr}}pending.recorded{{/tr}}</span>{{#late}} <strong class="late">{{t.pending.late}}</strong>{{/late}}</p>
        <form method="post" action="/hours/{{id}}/approve" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{t.pending.approve}}</button></form>
        <form method="post" action="/hours/{{id}}/reject"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="reason-{{id}}">{{t.pending.reject_reason}}</label><input id="reason-{{id}}" name="reason" required>
        <button type="submit" class="danger">{{t.pending.reject}}</button></form>
        <details><summary>{{t.pending.correct}}</summary><form method="post" action="/hours/{{id}}/correct"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="delta-{{id}}">{{t.pending.delta}}</label><input id="delta-{{id}}" name="delta_minutes" inputmode="numeric" required>
        <label for="creason-{{id}}">{{t.pending.correct_reason}}</label><input id="creason-{{id}}" name="reason" required>
        <button type="submit" class="secondary">{{t.pending.record_correction}}</button></form></details></section>{{/entries}}
        """
}
