/// The organiser's pages, phone first (usable at 360 px).
enum WebOrganiserTemplates {
    static let activities = """
        <h1>今天及以后的活动</h1>
        <p><a class="button" href="/activities/new">新建活动</a></p>
        {{^activities}}<p class="notice ok">暂无今天及以后的活动。</p>{{/activities}}
        {{#activities}}<section class="card" id="activity-{{id}}"><h2>{{title}}</h2>
        <p>{{starts}} 至 {{ends}}<br><span class="hint">编号 {{id}} · {{category}} · 组织者 {{organiser}} · 在场 {{open}} 人</span></p>
        <p><a class="button" href="/activities/{{id}}/screen?action=in">签到码</a><a class="button" href="/activities/{{id}}/screen?action=out">签退码</a>
        <a class="button secondary" href="/activities/{{id}}/attendance">即到即签</a></p></section>{{/activities}}
        """

    static let screen = """
        <style>.screen{text-align:center}.screen .code{font-size:min(22vw,7rem);font-weight:700;letter-spacing:.12em;font-variant-numeric:tabular-nums;margin:.2rem 0}\
        .screen .qr svg{width:min(80vw,22rem);height:auto}.screen .count{font-size:1.3rem}</style>
        <section class="screen" aria-live="polite">
        <h1>{{title}}：{{actionName}}</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        {{#code}}<p class="code" id="code" aria-label="{{actionName}}码 {{code}}">{{code}}</p>
        <div class="qr" id="qr" role="img" aria-label="{{actionName}}二维码：{{url}}">{{{qr}}}</div>
        <p class="count">下一个码还有 <strong id="countdown">{{seconds}}</strong> 秒</p>
        <p class="hint">志愿者用手机扫码，或打开 {{url}} 输入编号、手机号后 4 位和此码。</p>
        <script>(function(){var left={{seconds}},el=document.getElementById('countdown');setInterval(function(){left--;\
        if(left<=0){location.reload();}else{el.textContent=left;}},1000);})();</script>{{/code}}
        <p><a class="button secondary" href="/activities/{{id}}/screen?action={{otherAction}}">切换到{{otherName}}</a>
        <a class="button secondary" href="/activities">返回活动列表</a></p></section>
        """

    static let checkin = """
        <h1>{{actionName}}：{{title}}</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/checkin/{{id}}" class="card" novalidate>
        <input type="hidden" name="action" value="{{action}}">
        <label for="volunteer">志愿者编号</label>
        <input id="volunteer" name="volunteer" value="{{volunteer}}" autocomplete="off" required {{#invalid_volunteer}}aria-invalid="true" aria-describedby="volunteer-error"{{/invalid_volunteer}}>
        {{#error_volunteer}}<p class="field-error" id="volunteer-error">{{error_volunteer}}</p>{{/error_volunteer}}
        <label for="phone_last4">手机号后 4 位</label>
        <input id="phone_last4" name="phone_last4" value="{{phone_last4}}" inputmode="numeric" maxlength="4" autocomplete="off" required {{#invalid_phone_last4}}aria-invalid="true" aria-describedby="phone_last4-error"{{/invalid_phone_last4}}>
        {{#error_phone_last4}}<p class="field-error" id="phone_last4-error">{{error_phone_last4}}</p>{{/error_phone_last4}}
        <label for="code">{{actionName}}码（6 位）</label>
        <input id="code" name="code" value="{{code}}" inputmode="numeric" maxlength="6" autocomplete="off" required {{#invalid_code}}aria-invalid="true" aria-describedby="code-error"{{/invalid_code}}>
        {{#error_code}}<p class="field-error" id="code-error">{{error_code}}</p>{{/error_code}}
        <p><button type="submit" style="width:100%;font-size:1.3rem;min-height:3.5rem">{{actionName}}</button></p></form>
        """

    static let newActivity = """
        <h1>新建活动</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/activities/new" class="card" id="new-activity">
        <input type="hidden" name="csrf" value="{{csrf}}">
        \(WebOfficeTemplates.field("title", "活动名称", "required"))
        <label for="district">所属街道</label><select id="district" name="district">{{#districts}}<option value="{{code}}" {{#selected}}selected{{/selected}}>{{name}}（{{code}}）</option>{{/districts}}</select>
        <p class="field-error" id="district-error">{{error_district}}</p>
        \(WebOfficeTemplates.field("organiser", "组织者（单位或姓名）", "required"))
        \(WebOfficeTemplates.field("starts", "开始时间", "type=\"datetime-local\" required"))
        \(WebOfficeTemplates.field("ends", "结束时间", "type=\"datetime-local\" required"))
        {{#has_categories}}<label for="category">服务类别</label><select id="category" name="category" aria-describedby="category-error">\
        <option value="">综合（默认）</option>{{#categories}}<option value="{{code}}" {{#selected}}selected{{/selected}}>{{indent}}{{name}}（{{code}}）</option>{{/categories}}</select>
        <p class="field-error" id="category-error" aria-live="polite">{{error_category}}</p>{{/has_categories}}
        {{^has_categories}}\(WebOfficeTemplates.field("category", "类别（可选）")){{/has_categories}}
        <p><button type="submit">新建</button></p></form>
        """

    static let attendance = """
        <h1>即到即签：{{title}}</h1>
        <p class="hint">按编号或姓名查找志愿者，点“签到”或“签退”。当前在场 <strong id="open">{{open}}</strong> 人。</p>
        <form method="get" action="/activities/{{id}}/attendance" class="card">
        <label for="q">志愿者编号或姓名</label><input id="q" name="q" value="{{q}}" autocomplete="off">
        <p><button type="submit">查找</button></p></form>
        {{#searched}}{{^found}}<p class="notice bad" id="none">没有找到“{{q}}”。</p>{{/found}}{{/searched}}
        {{#found}}<section class="card" id="v-{{number}}"><h2>{{name}}（{{number}}）</h2><p class="hint">{{district}} · 手机 {{phone}}</p>
        <form method="post" action="/activities/{{id}}/attendance" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="volunteer" value="{{number}}"><input type="hidden" name="action" value="in"><button type="submit">签到</button></form>
        <form method="post" action="/activities/{{id}}/attendance" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="volunteer" value="{{number}}"><input type="hidden" name="action" value="out"><button type="submit" class="secondary">签退</button></form>
        </section>{{/found}}
        """

    static let pending = """
        <h1>待审核时长</h1>
        <p class="hint">他人记录、等待审核的时长（自己记录的由他人审核）。</p>
        {{^entries}}<p class="notice ok" id="none">没有待审核的时长。</p>{{/entries}}
        {{#entries}}<section class="card" id="entry-{{id}}"><h2>{{name}}（{{number}}）</h2>
        <p>{{title}} · {{start}} · <strong>{{hours}}</strong> 小时（{{minutes}} 分钟）<br><span class="hint">记录人 {{recorded_by}} · 来源 {{source}}</span>{{#late}} <strong class="late">补录：须由文明办或管理员审核</strong>{{/late}}</p>
        <form method="post" action="/hours/{{id}}/approve" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">通过</button></form>
        <form method="post" action="/hours/{{id}}/reject"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="reason-{{id}}">驳回理由</label><input id="reason-{{id}}" name="reason" required>
        <button type="submit" class="danger">驳回</button></form>
        <details><summary>更正时长</summary><form method="post" action="/hours/{{id}}/correct"><input type="hidden" name="csrf" value="{{csrf}}">
        <label for="delta-{{id}}">增减分钟数（如 -30 或 15）</label><input id="delta-{{id}}" name="delta_minutes" inputmode="numeric" required>
        <label for="creason-{{id}}">更正理由</label><input id="creason-{{id}}" name="reason" required>
        <button type="submit" class="secondary">记录更正</button></form></details></section>{{/entries}}
        """
}
