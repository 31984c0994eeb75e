/// The office's and the staff's pages.
enum WebOfficeTemplates {
    static let dashboard = """
        <h1>{{#tr}}dashboard.heading{{/tr}}</h1>
        <form method="get" action="/dashboard" class="card"><label for="year">{{t.form.year}}</label><input id="year" name="year" value="{{year}}" inputmode="numeric" style="max-width:8rem">
        <label for="as_of">{{t.dashboard.as_of}}</label><input id="as_of" name="as_of" value="{{as_of_input}}" placeholder="YYYY-MM-DD" style="max-width:12rem">
        <label for="as_recorded_at">{{t.dashboard.as_recorded_at}}</label>\
        <input id="as_recorded_at" name="as_recorded_at" value="{{as_recorded_at_input}}" placeholder="YYYY-MM-DD HH:MM" style="max-width:14rem">
        <p><button type="submit">{{t.form.view}}</button></p></form>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        {{#report}}
        <p>{{t.dashboard.as_of_before}}<strong id="as-of">{{as_of}}</strong>{{#tr}}dashboard.targets{{/tr}}</p>
        {{#replay}}<p class="notice bad" id="replay">{{#tr}}dashboard.replay{{/tr}}</p>{{/replay}}
        {{#partial}}<p class="notice bad">{{t.dashboard.partial}}</p>{{/partial}}
        <h2>{{t.dashboard.districts}}</h2>
        <div class="scroll"><table id="districts"><thead><tr><th>{{t.col.district}}</th><th class="num">{{t.dashboard.share}}</th><th class="num">{{t.dashboard.share_gap}}</th>
        <th class="num">{{t.dashboard.rate}}</th><th class="num">{{t.dashboard.rate_gap}}</th><th class="num">{{t.dashboard.hours}}</th><th class="num">{{t.dashboard.hours_gap}}</th></tr></thead><tbody>
        {{#rows}}<tr data-code="{{code}}"><td>{{name}}<br><span class="hint">{{code}}</span></td>
        <td class="num" data-key="registration_share">{{share}} {{{share_mark}}}</td><td class="num" data-key="registrations_needed">{{share_gap}}</td>
        <td class="num" data-key="participation_rate">{{rate}} {{{rate_mark}}}</td><td class="num" data-key="participants_needed">{{rate_gap}}</td>
        <td class="num" data-key="hours_per_volunteer">{{hours}} {{{hours_mark}}}</td><td class="num" data-key="hours_needed">{{hours_gap}}</td></tr>{{/rows}}
        {{#city}}<tr data-code="city"><th>{{t.dashboard.city}}</th><td class="num" data-key="registration_share">{{share}} {{{share_mark}}}</td><td class="num" data-key="registrations_needed">{{share_gap}}</td>
        <td class="num" data-key="participation_rate">{{rate}} {{{rate_mark}}}</td><td class="num" data-key="participants_needed">{{rate_gap}}</td>
        <td class="num" data-key="hours_per_volunteer">{{hours}} {{{hours_mark}}}</td><td class="num" data-key="hours_needed">{{hours_gap}}</td></tr>{{/city}}
        </tbody></table></div>
        <p class="hint">{{t.dashboard.legend}}</p>
        <h2>{{t.dashboard.share}}</h2><div class="card">{{{chart_share}}}</div>
        <h2>{{t.dashboard.rate}}</h2><div class="card">{{{chart_rate}}}</div>
        <h2>{{t.dashboard.hours_long}}</h2><div class="card">{{{chart_hours}}}</div>
        {{#has_months}}<h2>{{t.dashboard.months}}</h2>
        <p class="hint">{{t.dashboard.months_hint}}</p>
        <h3>{{t.dashboard.share}}</h3><div class="card">{{{trend_share}}}</div><h3>{{t.dashboard.rate}}</h3><div class="card">{{{trend_rate}}}</div>
        <h3>{{t.dashboard.hours_long}}</h3><div class="card">{{{trend_hours}}}</div><div class="scroll"><table id="months"><thead><tr><th>{{t.dashboard.month_as_of}}</th><th class="num">{{t.dashboard.share}}</th><th class="num">{{t.dashboard.rate}}</th><th class="num">{{t.dashboard.hours}}</th></tr></thead><tbody>
        {{#months}}<tr><td>{{as_of}}</td><td class="num">{{share}} {{{share_mark}}}</td><td class="num">{{rate}} {{{rate_mark}}}</td><td class="num">{{hours}} {{{hours_mark}}}</td></tr>{{/months}}
        </tbody></table></div>{{/has_months}}
        <h2>{{t.dashboard.download}}</h2><p id="downloads">{{#export}}<a class="button secondary" id="{{id}}" href="{{href}}">{{label}}</a> {{/export}}</p>
        {{/report}}
        """

    /// A labelled input keeping what was typed, its message next to it (`error_NAME`); the label
    /// is a template reference such as `{{t.register.name}}`.
    static func field(_ name: String, _ label: String, _ extra: String = "") -> String {
        """
        <label for="\(name)">\(label)</label><input id="\(name)" name="\(name)" value="{{\(name)}}" \(extra) \
        {{#invalid_\(name)}}aria-invalid="true"{{/invalid_\(name)}} aria-describedby="\(name)-error">
        <p class="field-error" id="\(name)-error" aria-live="polite">{{error_\(name)}}</p>
        """
    }

    static let districtSelect = """
        <label for="district">{{t.form.district}}</label><select id="district" name="district">{{#districts}}<option value="{{code}}" {{#selected}}selected{{/selected}}>{{#tr}}form.named_code{{/tr}}</option>{{/districts}}</select>
        <p class="field-error" id="district-error">{{error_district}}</p>
        """

    static let register = """
        <h1>{{t.register.title}}</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/volunteers/new" class="card" id="register" data-short="{{t.register.js_short}}" data-format="{{t.register.js_format}}"
        data-birth="{{t.register.js_birth}}" data-check="{{t.register.js_check}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        \(field("name", "{{t.register.name}}", "required autocomplete=\"off\""))
        \(field("id_number", "{{t.register.id_number}}", "required maxlength=\"18\" autocomplete=\"off\""))
        \(field("phone", "{{t.register.phone}}", "required inputmode=\"numeric\" maxlength=\"11\" autocomplete=\"off\""))
        \(districtSelect)
        \(field("registered_on", "{{t.register.registered_on}}", "placeholder=\"YYYY-MM-DD\""))
        <fieldset id="guardian" {{^minor}}hidden{{/minor}}><legend>{{t.register.guardian}}</legend>
        \(field("guardian_name", "{{t.register.guardian_name}}"))
        \(field("guardian_phone", "{{t.register.guardian_phone}}", "inputmode=\"numeric\" maxlength=\"11\""))
        <label><input type="checkbox" name="guardian_consent" value="yes" style="width:auto" {{#guardian_consent}}checked{{/guardian_consent}}> {{t.register.guardian_consent}}</label>
        <p class="field-error" id="guardian_consent-error">{{error_guardian_consent}}</p></fieldset>
        <p><button type="submit">{{t.register.submit}}</button></p></form>
        <script>(function(){var id=document.getElementById('id_number'),out=document.getElementById('id_number-error'),
        g=document.getElementById('guardian'),on=document.getElementById('registered_on'),say=document.getElementById('register').dataset;
        var w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2],c='10X98765432';
        function check(){var v=id.value.trim().toUpperCase(),msg='';
        if(v.length===0){out.textContent='';id.removeAttribute('aria-invalid');return;}
        if(!/^[0-9]{17}[0-9X]$/.test(v)){msg=v.length<18?say.short.replace('{n}',18-v.length):say.format;}
        else{var y=+v.substr(6,4),m=+v.substr(10,2),d=+v.substr(12,2),b=new Date(y,m-1,d);
        if(b.getFullYear()!==y||b.getMonth()!==m-1||b.getDate()!==d||b>new Date()){msg=say.birth.replace('{date}',v.substr(6,8));}
        else{var s=0;for(var i=0;i<17;i++){s+=(+v[i])*w[i];}if(c[s%11]!==v[17]){msg=say.check.replace('{digit}',c[s%11]);}
        else{var ref=/^\\d{4}-\\d{2}-\\d{2}$/.test(on.value)?new Date(on.value):new Date(),age=ref.getFullYear()-y;
        if(ref.getMonth()+1<m||(ref.getMonth()+1===m&&ref.getDate()<d)){age--;}g.hidden=age>=18;}}}
        out.textContent=msg;if(msg){id.setAttribute('aria-invalid','true');}else{id.removeAttribute('aria-invalid');}}
        id.addEventListener('input',check);on.addEventListener('input',check);if(id.value){check();}})();</script>
        """
}
