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
        <html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>{{title}} · {{t.layout.brand}}</title><style>\(css)</style></head>
        <body class="{{bodyClass}}"><header class="bar"><a class="brand" href="/">{{t.layout.brand}}</a>
        {{#who}}<span class="who" id="who">{{#tr}}layout.who{{/tr}}</span>
        <form class="inline" method="post" action="/signout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">{{t.layout.signout}}</button></form>{{/who}}
        {{^who}}<a href="/signin">{{t.layout.signin}}</a>{{/who}}</header>
        {{#who}}<nav class="main" aria-label="{{t.layout.menu}}">{{#menu}}<a href="{{href}}">{{label}}</a>
        {{/menu}}</nav>{{/who}}
        <main id="main">{{{content}}}</main></body></html>
        """

    static let done = """
        <h1>{{#ok}}{{t.done.ok}}{{/ok}}{{^ok}}{{t.done.not_ok}}{{/ok}}</h1>
        <p class="notice {{#ok}}ok{{/ok}}{{^ok}}bad{{/ok}}" role="status" id="outcome">{{message}}</p>
        <p>{{#links}}<a class="button" href="{{href}}">{{label}}</a> {{/links}}</p>
        """

    static let signin = """
        <h1>{{t.signin.title}}</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/signin" class="card">
        <input type="hidden" name="next" value="{{next}}">
        <label for="login">{{t.signin.login}}</label><input id="login" name="login" value="{{login}}" autocomplete="username" autocapitalize="none" required>
        <label for="password">{{t.signin.password}}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
        <p><button type="submit">{{t.signin.title}}</button></p></form>
        <p><a href="/verify">{{t.signin.verify_link}}</a></p>
        """

    static let verify = """
        <h1>{{t.verify.heading}}</h1>
        <form method="get" action="/verify" class="card">
        <label for="number">{{t.verify.number}}</label><input id="number" name="number" value="{{number}}" required {{#error}}aria-invalid="true" aria-describedby="number-error"{{/error}}>
        {{#error}}<p class="field-error" id="number-error">{{error}}</p>{{/error}}
        <p><button type="submit">{{t.verify.submit}}</button></p></form>
        {{#result}}<section class="card" aria-labelledby="result-title" id="result">
        <h2 id="result-title">{{#valid}}<span class="yes">{{t.verify.valid}}</span>{{/valid}}{{^valid}}<span class="no">{{t.verify.invalid}}</span>{{/valid}}</h2>
        <dl class="facts"><dt>{{t.verify.r_number}}</dt><dd id="r-number">{{number}}</dd>
        {{#name}}<dt>{{t.verify.r_name}}</dt><dd id="r-name">{{name}}</dd>{{/name}}
        {{#period}}<dt>{{t.verify.r_period}}</dt><dd id="r-period">{{period}}</dd>{{/period}}
        {{#hours}}<dt>{{t.verify.r_hours}}</dt><dd id="r-hours">{{hours}}</dd>{{/hours}}</dl></section>{{/result}}
        """

    static let statement = """
        <style>@page{size:A4;margin:18mm}.certificate{background:#fff;max-width:170mm;margin:0 auto;padding:14mm 16mm;border:6px double #8a5a00;\
        font-family:"Noto Serif CJK SC","Source Han Serif SC",serif}.certificate h1{text-align:center;font-size:2rem;letter-spacing:.5em;margin:0 0 1.5rem}\
        .certificate .body{font-size:1.15rem;line-height:2;text-indent:2em}.certificate table{margin:1rem 0}.certificate .foot{margin-top:2rem;text-align:right}\
        .certificate .number{font-family:monospace}@media print{header.bar,nav.main,.noprint{display:none}body{background:#fff}main{padding:0}\
        .certificate{border-color:#8a5a00;max-width:none}}</style>
        <p class="noprint"><button type="button" onclick="window.print()">{{t.statement.print}}</button> <a href="/verify?number={{number}}">{{t.statement.verify_link}}</a></p>
        <article class="certificate" aria-label="{{t.statement.heading}}">
        <h1>{{t.statement.heading}}</h1>
        <p class="body">{{t.statement.body_before}}<strong>{{name}}</strong>{{#tr}}statement.body_middle{{/tr}}<strong>{{hours}}</strong>{{t.statement.body_after}}</p>
        {{#has_rows}}<table><thead><tr><th>{{t.statement.col_activity}}</th><th>{{t.statement.col_date}}</th><th class="num">{{t.statement.col_hours}}</th></tr></thead><tbody>
        {{#rows}}<tr><td>{{title}}</td><td>{{date}}</td><td class="num">{{hours}}</td></tr>{{/rows}}</tbody></table>{{/has_rows}}
        <p class="foot">{{#tr}}statement.issuer{{/tr}}<br>{{#tr}}statement.issued_at{{/tr}}<br>{{t.statement.number_label}}<span class="number" id="statement-number">{{number}}</span></p>
        <p class="hint">{{t.statement.hint}}</p></article>
        """
}
