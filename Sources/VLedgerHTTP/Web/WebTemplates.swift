import Mustache

/// The pages' templates (mustache: `{{x}}` is escaped, `{{{x}}}` only for HTML rendered here),
/// compiled once. The style sheet is inline: a page is one request, nothing from elsewhere.
enum WebTemplates {
    static let library: MustacheLibrary = {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in sources {
            // The templates are ours: a parse error is a bug caught by every page test.
            templates[name] = try! MustacheTemplate(string: text)
        }
        return MustacheLibrary(templates: templates)
    }()

    static let sources: [String: String] = [
        "layout": layout, "done": done, "signin": signin, "verify": verify, "statement": statement,
        "activities": WebOrganiserTemplates.activities, "screen": WebOrganiserTemplates.screen,
        "checkin": WebOrganiserTemplates.checkin, "attendance": WebOrganiserTemplates.attendance,
        "pending": WebOrganiserTemplates.pending, "dashboard": WebOfficeTemplates.dashboard,
        "register": WebOfficeTemplates.register, "new_activity": WebOrganiserTemplates.newActivity,
        "import": WebStaffTemplates.importForm, "import_report": WebStaffTemplates.importReport,
        "volunteers": WebStaffTemplates.list, "volunteer": WebStaffTemplates.volunteer,
        "outreach": WebOfficeListTemplates.outreach, "anomalies": WebOfficeListTemplates.anomalies,
        "populations": WebOfficeListTemplates.populations, "districts": WebOfficeListTemplates.districts,
    ]

    static let css = """
        *{box-sizing:border-box}html{font-size:17px}body{margin:0;font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;\
        color:#1a1a1a;background:#f6f7f9;line-height:1.5}a{color:#0b57b0}:focus-visible{outline:3px solid #b35c00;outline-offset:2px}\
        header.bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.5rem 1rem;background:#123d6b;color:#fff}\
        header.bar a{color:#fff}.brand{font-weight:700;text-decoration:none;margin-right:auto}.who{font-size:.9rem}\
        nav.main{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:.4rem 1rem;background:#e4e9f0}\
        main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.5rem 0 1rem}h2{font-size:1.15rem}\
        form.inline{display:inline;margin:0}label{display:block;font-weight:600;margin:.8rem 0 .2rem}\
        input,select{font-size:1.1rem;padding:.55rem .6rem;width:100%;max-width:28rem;border:1px solid #6b7280;border-radius:6px;background:#fff;color:#111}\
        input[aria-invalid=true]{border:2px solid #b00020}button,.button{display:inline-block;font-size:1.05rem;padding:.6rem 1.1rem;min-height:2.75rem;\
        border:0;border-radius:6px;background:#0b57b0;color:#fff;cursor:pointer;text-decoration:none;margin:.3rem .3rem .3rem 0}\
        header.bar button{background:#fff;color:#123d6b;min-height:2.2rem;padding:.3rem .8rem;margin:0}button.secondary{background:#4b5563}\
        button.danger{background:#a4161a}.field-error{color:#b00020;font-weight:600;margin:.2rem 0}.notice{padding:.8rem 1rem;border-radius:6px;margin:1rem 0}\
        .notice.ok{background:#e6f4ea;color:#0d4f1c}.notice.bad{background:#fde8e8;color:#8a1116}.hint{color:#4b5563;font-size:.9rem}\
        table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #d1d5db;padding:.45rem .5rem;text-align:left;vertical-align:top}\
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}.card{background:#fff;border-radius:8px;padding:1rem;margin:0 0 1rem;\
        box-shadow:0 1px 2px rgba(0,0,0,.12)}.yes{color:#0d6b2a;font-weight:700}.no{color:#a4161a;font-weight:700}dl.facts dt{font-weight:600}dl.facts dd{margin:0 0 .6rem}
        """

    static let layout = """
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>{{title}} · 志愿服务记录</title><style>\(css)</style></head>
        <body class="{{bodyClass}}"><header class="bar"><a class="brand" href="/">志愿服务记录</a>
        {{#who}}<span class="who" id="who">当前登录：{{login}}（{{role}}）</span>
        <form class="inline" method="post" action="/signout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">退出登录</button></form>{{/who}}
        {{^who}}<a href="/signin">登录</a>{{/who}}</header>
        {{#who}}<nav class="main" aria-label="主菜单"><a href="/activities">活动</a><a href="/hours/pending">待审核时长</a>
        <a href="/dashboard">指标看板</a><a href="/outreach">待联系</a><a href="/anomalies">异常</a><a href="/volunteers">名册</a>
        <a href="/volunteers/new">登记志愿者</a><a href="/volunteers/import">导入</a><a href="/districts">街道</a><a href="/verify">证明核验</a></nav>{{/who}}
        <main id="main">{{{content}}}</main></body></html>
        """

    static let done = """
        <h1>{{#ok}}完成{{/ok}}{{^ok}}未完成{{/ok}}</h1>
        <p class="notice {{#ok}}ok{{/ok}}{{^ok}}bad{{/ok}}" role="status" id="outcome">{{message}}</p>
        <p>{{#links}}<a class="button" href="{{href}}">{{label}}</a> {{/links}}</p>
        """

    static let signin = """
        <h1>登录</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/signin" class="card">
        <input type="hidden" name="next" value="{{next}}">
        <label for="login">登录名</label><input id="login" name="login" value="{{login}}" autocomplete="username" autocapitalize="none" required>
        <label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" required>
        <p><button type="submit">登录</button></p></form>
        <p><a href="/verify">核验志愿服务证明（无需登录）</a></p>
        """

    static let verify = """
        <h1>志愿服务证明核验</h1>
        <form method="get" action="/verify" class="card">
        <label for="number">证明编号</label><input id="number" name="number" value="{{number}}" required {{#error}}aria-invalid="true" aria-describedby="number-error"{{/error}}>
        {{#error}}<p class="field-error" id="number-error">{{error}}</p>{{/error}}
        <p><button type="submit">核验</button></p></form>
        {{#result}}<section class="card" aria-labelledby="result-title" id="result">
        <h2 id="result-title">{{#valid}}<span class="yes">✓ 证明有效</span>{{/valid}}{{^valid}}<span class="no">✗ 证明无效</span>{{/valid}}</h2>
        <dl class="facts"><dt>编号</dt><dd id="r-number">{{number}}</dd>
        {{#name}}<dt>姓名</dt><dd id="r-name">{{name}}</dd>{{/name}}
        {{#period}}<dt>服务期间</dt><dd id="r-period">{{period}}</dd>{{/period}}
        {{#hours}}<dt>服务时长（小时）</dt><dd id="r-hours">{{hours}}</dd>{{/hours}}</dl></section>{{/result}}
        """

    static let statement = """
        <style>@page{size:A4;margin:18mm}.certificate{background:#fff;max-width:170mm;margin:0 auto;padding:14mm 16mm;border:6px double #8a5a00;\
        font-family:"Noto Serif CJK SC","Source Han Serif SC",serif}.certificate h1{text-align:center;font-size:2rem;letter-spacing:.5em;margin:0 0 1.5rem}\
        .certificate .body{font-size:1.15rem;line-height:2;text-indent:2em}.certificate table{margin:1rem 0}.certificate .foot{margin-top:2rem;text-align:right}\
        .certificate .number{font-family:monospace}@media print{header.bar,nav.main,.noprint{display:none}body{background:#fff}main{padding:0}\
        .certificate{border-color:#8a5a00;max-width:none}}</style>
        <p class="noprint"><button type="button" onclick="window.print()">打印</button> <a href="/verify?number={{number}}">核验此证明</a></p>
        <article class="certificate" aria-label="志愿服务证明">
        <h1>志愿服务证明</h1>
        <p class="body">兹证明 <strong>{{name}}</strong>（志愿者编号 {{volunteer}}）于 {{from}} 至 {{to}} 期间参加志愿服务，经审核累计服务时长 <strong>{{hours}}</strong> 小时。</p>
        {{#has_rows}}<table><thead><tr><th>活动</th><th>日期</th><th class="num">小时</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{title}}</td><td>{{date}}</td><td class="num">{{hours}}</td></tr>{{/rows}}</tbody></table>{{/has_rows}}
        <p class="foot">出具单位：{{issuer}}<br>出具时间：{{issued_at}}<br>证明编号：<span class="number" id="statement-number">{{number}}</span></p>
        <p class="hint">凭证明编号可在本系统“证明核验”页核验真伪。</p></article>
        """
}
