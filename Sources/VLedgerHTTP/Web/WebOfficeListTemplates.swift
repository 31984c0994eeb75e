/// The office's lists: outreach, anomalies, populations, districts.
enum WebOfficeListTemplates {
    static let yearForm = """
        <label for="year">{{t.form.year}}</label><input id="year" name="year" value="{{year}}" inputmode="numeric" style="max-width:8rem">
        <p><button type="submit">{{t.form.view}}</button></p></form>
        """

    static let outreach = """
        <h1>{{#tr}}outreach.heading{{/tr}}</h1>
        <p class="hint">{{t.outreach.hint}}{{#masked_names}}{{t.outreach.names_masked}}{{/masked_names}}</p>
        <form method="get" action="/outreach" class="card">\(yearForm)
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        {{^error}}<h2>{{#tr}}outreach.counts{{/tr}}</h2>
        <div class="scroll"><table id="outreach-districts"><thead><tr><th>{{t.col.district}}</th><th class="num">{{t.outreach.count}}</th></tr></thead><tbody>
        {{#districts}}<tr data-code="{{code}}"><td><a href="{{href}}" {{#selected}}aria-current="page"{{/selected}}>{{name}}</a></td><td class="num">{{count}}</td></tr>{{/districts}}
        </tbody></table></div>
        <h2>{{district_name}}</h2>
        {{^has_volunteers}}<p class="notice ok" id="none">{{t.outreach.none}}</p>{{/has_volunteers}}
        {{#has_volunteers}}<p class="hint">{{#tr}}outreach.range{{/tr}}</p>
        <div class="scroll"><table id="outreach"><thead><tr><th>{{t.col.number}}</th><th>{{t.col.name}}</th><th>{{t.col.district}}</th><th>{{t.col.phone}}</th><th>{{t.col.registered_on}}</th></tr></thead><tbody>
        {{#volunteers}}<tr><td>{{number}}</td><td>{{name}}</td><td>{{district}}</td><td>{{phone}}</td><td>{{registered_on}}</td></tr>{{/volunteers}}
        </tbody></table></div>{{/has_volunteers}}
        {{#next_page}}<p><a class="button" id="next" href="{{next_page}}">{{t.form.next}}</a></p>{{/next_page}}{{/error}}
        """

    static let anomalies = """
        <h1>{{#tr}}anomalies.heading{{/tr}}</h1>
        <p class="hint">{{t.anomalies.hint}}</p>
        <form method="get" action="/anomalies" class="card">\(yearForm)
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        {{^error}}{{^has_entries}}{{^has_lookups}}<p class="notice ok" id="none">{{t.anomalies.none}}</p>{{/has_lookups}}{{/has_entries}}
        {{#has_entries}}<h2>{{#tr}}anomalies.entries{{/tr}}</h2>{{#truncated}}<p class="hint">{{t.anomalies.truncated}}</p>{{/truncated}}
        <div class="scroll"><table id="anomalies"><thead><tr><th>{{t.col.reason}}</th><th>{{t.col.code}}</th><th class="num">{{t.anomalies.entry}}</th><th>{{t.anomalies.volunteer}}</th></tr></thead><tbody>
        {{#entries}}<tr><td>{{reason}}</td><td><code>{{code}}</code></td><td class="num">{{entry}}</td><td>{{volunteer}}</td></tr>{{/entries}}
        </tbody></table></div>{{/has_entries}}
        {{#has_lookups}}<h2>{{t.anomalies.lookups}}</h2>
        <div class="scroll"><table id="lookups"><thead><tr><th>{{t.col.reason}}</th><th>{{t.col.code}}</th><th>{{t.anomalies.login}}</th></tr></thead><tbody>
        {{#lookups}}<tr><td>{{reason}}</td><td><code>{{code}}</code></td><td>{{login}}</td></tr>{{/lookups}}
        </tbody></table></div>{{/has_lookups}}{{/error}}
        """

    /// The figures in force, and (office, admin) the form that records a new revision, as
    /// `vledger population set` does: what was typed stays, the message next to its field.
    static let populations = """
        <h1>{{t.populations.title}}</h1>
        <form method="get" action="/populations" class="card"><label for="year">{{t.populations.year_optional}}</label><input id="year" name="year" value="{{year}}" inputmode="numeric" style="max-width:8rem">
        <p><button type="submit">{{t.form.view}}</button></p></form>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        {{^has_figures}}<p class="notice ok" id="none">{{t.populations.none}}</p>{{/has_figures}}
        {{#has_figures}}<div class="scroll"><table id="populations"><thead><tr><th>{{t.col.district}}</th><th class="num">{{t.form.year}}</th><th class="num">{{t.populations.residents}}</th><th>{{t.populations.source}}</th><th>{{t.populations.recorded}}</th><th>{{t.populations.in_force}}</th></tr></thead><tbody>
        {{#figures}}<tr><td>{{district}}<br><span class="hint">{{code}}</span></td><td class="num">{{year}}</td><td class="num">{{residents}}</td><td>{{source}}</td>\
        <td>{{by}}<br><span class="hint">{{at}}</span></td><td>{{#in_force}}<span class="yes">{{t.populations.in_force_mark}}</span>{{/in_force}}{{^in_force}}{{t.populations.revised}}{{/in_force}}</td></tr>{{/figures}}
        </tbody></table></div>{{/has_figures}}
        {{#set_error}}<p class="notice bad" role="alert" id="set-error">{{set_error}}</p>{{/set_error}}
        {{#may_set}}<h2>{{t.populations.set_heading}}</h2>
        <p class="hint">{{t.populations.set_hint}}</p>
        <form method="post" action="/populations" class="card" id="population-set">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="set_district">{{t.form.district}}</label><select id="set_district" name="set_district" aria-describedby="set_district-error">\
        {{#set_districts}}<option value="{{code}}" {{#selected}}selected{{/selected}}>{{#tr}}form.named_code{{/tr}}</option>{{/set_districts}}</select>
        <p class="field-error" id="set_district-error" aria-live="polite">{{error_set_district}}</p>
        \(WebOfficeTemplates.field("set_year", "{{t.form.year}}", "required inputmode=\"numeric\" style=\"max-width:8rem\""))
        \(WebOfficeTemplates.field("set_residents", "{{t.populations.residents}}", "required inputmode=\"numeric\" style=\"max-width:12rem\""))
        \(WebOfficeTemplates.field("set_source", "{{t.populations.source_optional}}"))
        <p><button type="submit">{{t.populations.set_submit}}</button></p></form>{{/may_set}}
        """

    static let districts = """
        <h1>{{t.districts.title}}</h1>
        <div class="scroll"><table id="district-list"><thead><tr><th>{{t.districts.code}}</th><th>{{t.districts.name}}</th><th>{{t.districts.built_up}}</th><th>{{t.districts.by}}</th></tr></thead><tbody>
        {{#districts}}<tr><td>{{code}}</td><td>{{name}}</td><td>{{built_up}}</td><td>{{by}}</td></tr>{{/districts}}
        </tbody></table></div>
        <p><a href="/populations">{{t.populations.title}}</a> · <a href="/outreach">{{t.outreach.title}}</a></p>
        """
}
