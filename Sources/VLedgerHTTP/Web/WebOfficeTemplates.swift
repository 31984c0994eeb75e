/// The office's and the staff's pages.
enum WebOfficeTemplates {
    static let dashboard = """
        <h1>{{year}} 年指标看板</h1>
        <form method="get" action="/dashboard" class="card"><label for="year">年度</label><input id="year" name="year" value="{{year}}" inputmode="numeric" style="max-width:8rem">
        <label for="as_of">截至日期（可选）</label><input id="as_of" name="as_of" value="{{as_of_input}}" placeholder="YYYY-MM-DD" style="max-width:12rem">
        <label for="as_recorded_at">按当时记录回放（可选：只计此时刻之前录入的数据）</label>\
        <input id="as_recorded_at" name="as_recorded_at" value="{{as_recorded_at_input}}" placeholder="YYYY-MM-DD HH:MM" style="max-width:14rem">
        <p><button type="submit">查看</button></p></form>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        {{#report}}
        <p>截至 <strong id="as-of">{{as_of}}</strong>（{{time_zone}}），范围：{{scope}}。目标：注册志愿者占常住人口 ≥ {{t_share}}，参与率 ≥ {{t_rate}}，人均服务时长 ≥ {{t_hours}} 小时。</p>
        {{#replay}}<p class="notice bad" id="replay">回放：只计 {{replay}} 之前录入的数据。</p>{{/replay}}
        {{#partial}}<p class="notice bad">只显示你可见的街道，不是全市数据。</p>{{/partial}}
        <h2>各街道（最落后的在前）</h2>
        <div class="scroll"><table id="districts"><thead><tr><th>街道</th><th class="num">注册占比</th><th class="num">还需注册</th>
        <th class="num">参与率</th><th class="num">还需参与</th><th class="num">人均时长</th><th class="num">还需时长</th></tr></thead><tbody>
        {{#rows}}<tr data-code="{{code}}"><td>{{name}}<br><span class="hint">{{code}}</span></td>
        <td class="num" data-key="registration_share">{{share}} {{{share_mark}}}</td><td class="num" data-key="registrations_needed">{{share_gap}}</td>
        <td class="num" data-key="participation_rate">{{rate}} {{{rate_mark}}}</td><td class="num" data-key="participants_needed">{{rate_gap}}</td>
        <td class="num" data-key="hours_per_volunteer">{{hours}} {{{hours_mark}}}</td><td class="num" data-key="hours_needed">{{hours_gap}}</td></tr>{{/rows}}
        {{#city}}<tr data-code="city"><th>全市</th><td class="num" data-key="registration_share">{{share}} {{{share_mark}}}</td><td class="num" data-key="registrations_needed">{{share_gap}}</td>
        <td class="num" data-key="participation_rate">{{rate}} {{{rate_mark}}}</td><td class="num" data-key="participants_needed">{{rate_gap}}</td>
        <td class="num" data-key="hours_per_volunteer">{{hours}} {{{hours_mark}}}</td><td class="num" data-key="hours_needed">{{hours_gap}}</td></tr>{{/city}}
        </tbody></table></div>
        <p class="hint">✓ 达标，✗ 未达标，— 无数据。数字与 vledger metrics 相同（比例保留 4 位小数，时长保留 2 位）。</p>
        <h2>注册占比</h2><div class="card">{{{chart_share}}}</div>
        <h2>参与率</h2><div class="card">{{{chart_rate}}}</div>
        <h2>人均服务时长（小时）</h2><div class="card">{{{chart_hours}}}</div>
        {{#has_months}}<h2>全市逐月累计</h2>
        <p class="hint">各月末的累计值（圆点：绿色达标，红色未达标），虚线为目标。</p>
        <h3>注册占比</h3><div class="card">{{{trend_share}}}</div><h3>参与率</h3><div class="card">{{{trend_rate}}}</div>
        <h3>人均服务时长（小时）</h3><div class="card">{{{trend_hours}}}</div><div class="scroll"><table id="months"><thead><tr><th>截至</th><th class="num">注册占比</th><th class="num">参与率</th><th class="num">人均时长</th></tr></thead><tbody>
        {{#months}}<tr><td>{{as_of}}</td><td class="num">{{share}} {{{share_mark}}}</td><td class="num">{{rate}} {{{rate_mark}}}</td><td class="num">{{hours}} {{{hours_mark}}}</td></tr>{{/months}}
        </tbody></table></div>{{/has_months}}
        <h2>下载</h2><p id="downloads">{{#export}}<a class="button secondary" id="{{id}}" href="{{href}}">{{label}}</a> {{/export}}</p>
        {{/report}}
        """

    static func field(_ name: String, _ label: String, _ extra: String = "") -> String {
        """
        <label for="\(name)">\(label)</label><input id="\(name)" name="\(name)" value="{{\(name)}}" \(extra)         {{#invalid_\(name)}}aria-invalid="true"{{/invalid_\(name)}} aria-describedby="\(name)-error">
        <p class="field-error" id="\(name)-error" aria-live="polite">{{error_\(name)}}</p>
        """
    }

    static let register = """
        <h1>登记志愿者</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/volunteers/new" class="card" id="register">
        <input type="hidden" name="csrf" value="{{csrf}}">
        \(field("name", "姓名", "required autocomplete=\"off\""))
        \(field("id_number", "居民身份证号码", "required maxlength=\"18\" autocomplete=\"off\""))
        \(field("phone", "手机号", "required inputmode=\"numeric\" maxlength=\"11\" autocomplete=\"off\""))
        <label for="district">所属街道</label><select id="district" name="district">{{#districts}}<option value="{{code}}" {{#selected}}selected{{/selected}}>{{name}}（{{code}}）</option>{{/districts}}</select>
        <p class="field-error" id="district-error">{{error_district}}</p>
        \(field("registered_on", "登记日期（可选，默认今天）", "placeholder=\"YYYY-MM-DD\""))
        <fieldset id="guardian" {{^minor}}hidden{{/minor}}><legend>监护人（未满 18 周岁需填写）</legend>
        \(field("guardian_name", "监护人姓名"))
        \(field("guardian_phone", "监护人手机号", "inputmode=\"numeric\" maxlength=\"11\""))
        <label><input type="checkbox" name="guardian_consent" value="yes" style="width:auto" {{#guardian_consent}}checked{{/guardian_consent}}> 监护人已书面同意</label>
        <p class="field-error" id="guardian_consent-error">{{error_guardian_consent}}</p></fieldset>
        <p><button type="submit">登记</button></p></form>
        <script>(function(){var id=document.getElementById('id_number'),out=document.getElementById('id_number-error'),
        g=document.getElementById('guardian'),on=document.getElementById('registered_on');
        var w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2],c='10X98765432';
        function check(){var v=id.value.trim().toUpperCase(),msg='';
        if(v.length===0){out.textContent='';id.removeAttribute('aria-invalid');return;}
        if(!/^[0-9]{17}[0-9X]$/.test(v)){msg=v.length<18?'还差 '+(18-v.length)+' 位（共 18 位）':'必须是 17 位数字加 1 位数字或 X';}
        else{var y=+v.substr(6,4),m=+v.substr(10,2),d=+v.substr(12,2),b=new Date(y,m-1,d);
        if(b.getFullYear()!==y||b.getMonth()!==m-1||b.getDate()!==d||b>new Date()){msg='出生日期 '+v.substr(6,8)+' 不是有效日期';}
        else{var s=0;for(var i=0;i<17;i++){s+=(+v[i])*w[i];}if(c[s%11]!==v[17]){msg='校验码不对：最后一位应为 '+c[s%11];}
        else{var ref=/^\\d{4}-\\d{2}-\\d{2}$/.test(on.value)?new Date(on.value):new Date(),age=ref.getFullYear()-y;
        if(ref.getMonth()+1<m||(ref.getMonth()+1===m&&ref.getDate()<d)){age--;}g.hidden=age>=18;}}}
        out.textContent=msg;if(msg){id.setAttribute('aria-invalid','true');}else{id.removeAttribute('aria-invalid');}}
        id.addEventListener('input',check);on.addEventListener('input',check);if(id.value){check();}})();</script>
        """
}
