/// The staff's desk: import a spreadsheet, find volunteers, move and deregister them.
enum WebStaffTemplates {
    static let importForm = """
        <h1>{{t.import.title}}</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/volunteers/import" enctype="multipart/form-data" class="card" id="import">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="file">{{t.import.file}}</label>
        <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required \
        {{#error_file}}aria-invalid="true"{{/error_file}} aria-describedby="file-error file-hint">
        <p class="field-error" id="file-error" aria-live="polite">{{error_file}}</p>
        <p class="hint" id="file-hint">{{t.import.file_hint}}</p>
        <label><input type="checkbox" name="skip_bad" value="yes" style="width:auto" {{#skip_bad}}checked{{/skip_bad}}> {{t.import.skip_bad}}</label>
        <p><button type="submit">{{t.import.submit}}</button></p></form>
        """

    static let importReport = """
        <h1>{{#tr}}import.report_heading{{/tr}}</h1>
        <p class="notice {{#clean}}ok{{/clean}}{{^clean}}bad{{/clean}}" role="status" id="outcome">{{summary}}</p>
        <dl class="facts card" id="counts"><dt>{{t.import.rows}}</dt><dd id="n-rows">{{rows}}</dd><dt>{{t.import.applied}}</dt><dd id="n-applied">{{applied}}</dd>
        <dt>{{t.import.present}}</dt><dd id="n-present">{{present}}</dd><dt>{{t.import.bad}}</dt><dd id="n-bad">{{bad}}</dd></dl>
        {{#rejects}}<p><a class="button" id="rejects" href="{{rejects}}" download>{{t.import.rejects}}</a> <span class="hint">{{t.import.rejects_hint}}</span></p>{{/rejects}}
        {{#has_problems}}<h2>{{t.import.problems}}</h2>{{#truncated}}<p class="hint">{{#tr}}import.truncated{{/tr}}</p>{{/truncated}}
        <div class="scroll"><table id="problems"><thead><tr><th class="num">{{t.import.line}}</th><th>{{t.import.field}}</th><th>{{t.import.value}}</th><th>{{t.import.problem}}</th></tr></thead><tbody>
        {{#problems}}<tr><td class="num">{{line}}</td><td>{{field}}</td><td>{{value}}</td><td>{{reason}}</td></tr>{{/problems}}
        </tbody></table></div>{{/has_problems}}
        <p><a class="button" href="/volunteers/import">{{t.import.again}}</a> <a class="button secondary" href="/volunteers">{{t.volunteers.title}}</a></p>
        """

    static let list = """
        <h1>{{t.volunteers.title}}</h1>
        <form method="get" action="/volunteers" class="card" role="search">
        <label for="q">{{t.volunteers.q}}</label><input id="q" name="q" value="{{q}}" autocomplete="off">
        <label for="district">{{t.col.district}}</label><select id="district" name="district"><option value="">{{t.volunteers.all}}</option>\
        {{#districts}}<option value="{{code}}" {{#selected}}selected{{/selected}}>{{#tr}}form.named_code{{/tr}}</option>{{/districts}}</select>
        <p><button type="submit">{{t.form.find}}</button> <a class="button secondary" href="/volunteers/import">{{t.volunteers.import}}</a> <a class="button secondary" href="/volunteers/new">{{t.register.title}}</a></p></form>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        {{^volunteers}}<p class="notice ok" id="none">{{t.volunteers.none}}</p>{{/volunteers}}
        {{#has_volunteers}}<p class="hint">{{#tr}}volunteers.range{{/tr}}</p>
        <div class="scroll"><table id="volunteers"><thead><tr><th>{{t.col.number}}</th><th>{{t.col.name}}</th><th>{{t.col.district}}</th><th>{{t.col.phone}}</th><th>{{t.col.id_number}}</th><th>{{t.col.registered_on}}</th></tr></thead><tbody>
        {{#volunteers}}<tr><td><a href="/volunteers/{{number}}">{{number}}</a></td><td>{{name}}</td><td>{{district}}</td><td>{{phone}}</td><td>{{id_number}}</td><td>{{registered_on}}</td></tr>{{/volunteers}}
        </tbody></table></div>{{/has_volunteers}}
        <p>{{#first_page}}<a class="button secondary" href="{{first_page}}">{{t.form.first}}</a>{{/first_page}} {{#next_page}}<a class="button" id="next" href="{{next_page}}">{{t.form.next}}</a>{{/next_page}}</p>
        """

    static let volunteer = """
        <h1>{{#tr}}form.named_number{{/tr}}</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        <dl class="facts card" id="details"><dt>{{t.col.id_number}}</dt><dd>{{id_number}}</dd><dt>{{t.col.phone}}</dt><dd>{{phone}}</dd>
        <dt>{{t.col.registered_on}}</dt><dd>{{registered_on}}</dd><dt>{{t.volunteer.current_district}}</dt><dd id="current-district">{{district}}</dd>
        {{#guardian}}<dt>{{t.volunteer.guardian}}</dt><dd>{{guardian}}</dd>{{/guardian}}
        {{#deregistered}}<dt>{{t.volunteer.deregistration}}</dt><dd id="deregistered">{{deregistered}}</dd>{{/deregistered}}</dl>
        {{#has_history}}<h2>{{t.volunteer.history}}</h2><div class="scroll"><table id="history"><thead><tr><th>{{t.volunteer.from}}</th><th>{{t.col.district}}</th><th>{{t.districts.by}}</th></tr></thead><tbody>
        {{#history}}<tr><td>{{from}}</td><td>{{#tr}}form.named_code{{/tr}}</td><td>{{by}}</td></tr>{{/history}}</tbody></table></div>{{/has_history}}
        {{^deregistered}}
        <h2>{{t.volunteer.move_heading}}</h2>
        <form method="post" action="/volunteers/{{number}}/move" class="card" id="move">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="move_district">{{t.volunteer.move_district}}</label><select id="move_district" name="district" aria-describedby="move_district-error">\
        {{#districts}}<option value="{{code}}" {{#selected}}selected{{/selected}}>{{#tr}}form.named_code{{/tr}}</option>{{/districts}}</select>
        <p class="field-error" id="move_district-error" aria-live="polite">{{error_move_district}}</p>
        <label for="move_on">{{t.volunteer.move_on}}</label><input id="move_on" name="on" value="{{move_on}}" placeholder="YYYY-MM-DD" required \
        {{#error_move_on}}aria-invalid="true"{{/error_move_on}} aria-describedby="move_on-error">
        <p class="field-error" id="move_on-error" aria-live="polite">{{error_move_on}}</p>
        <p><button type="submit">{{t.volunteer.move_submit}}</button></p></form>
        <h2>{{t.volunteer.deregistration}}</h2>
        <form method="post" action="/volunteers/{{number}}/deregister" class="card" id="deregister">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="dereg_on">{{t.volunteer.dereg_on}}</label><input id="dereg_on" name="on" value="{{dereg_on}}" placeholder="YYYY-MM-DD" required \
        {{#error_dereg_on}}aria-invalid="true"{{/error_dereg_on}} aria-describedby="dereg_on-error">
        <p class="field-error" id="dereg_on-error" aria-live="polite">{{error_dereg_on}}</p>
        <label for="dereg_reason">{{t.volunteer.dereg_reason}}</label><input id="dereg_reason" name="reason" value="{{dereg_reason}}" required \
        {{#error_dereg_reason}}aria-invalid="true"{{/error_dereg_reason}} aria-describedby="dereg_reason-error">
        <p class="field-error" id="dereg_reason-error" aria-live="polite">{{error_dereg_reason}}</p>
        <p><button type="submit" class="danger">{{t.volunteer.deregister_submit}}</button></p></form>
        {{/deregistered}}
        <p><a class="button secondary" href="/volunteers">{{t.volunteer.back}}</a></p>
        """
}
