/// The office's lists: outreach, anomalies, populations, districts.
enum WebOfficeListTemplates {
    static let outreach = """
        <h1>{{year}} 年待联系志愿者</h1>
        <p class="hint">已注册、本年度尚无审核通过服务时长的志愿者（与 vledger volunteer list --inactive 相同），按街道。手机号已遮蔽。</p>
        <form method="get" action="/outreach" class="card"><label for="year">年度</label><input id="year" name="year" value="{{year}}" inputmode="numeric" style="max-width:8rem">
        <p><button type="submit">查看</button></p></form>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        {{^error}}<h2>各街道人数（共 {{total}} 人）</h2>
        <div class="scroll"><table id="outreach-districts"><thead><tr><th>街道</th><th class="num">待联系</th></tr></thead><tbody>
        {{#districts}}<tr data-code="{{code}}"><td><a href="{{href}}" {{#selected}}aria-current="page"{{/selected}}>{{name}}</a></td><td class="num">{{count}}</td></tr>{{/districts}}
        </tbody></table></div>
        <h2>{{district_name}}</h2>
        {{^has_volunteers}}<p class="notice ok" id="none">没有待联系的志愿者。</p>{{/has_volunteers}}
        {{#has_volunteers}}<p class="hint">第 {{from}}–{{to}} 人，共 {{shown_total}} 人。</p>
        <div class="scroll"><table id="outreach"><thead><tr><th>编号</th><th>姓名</th><th>街道</th><th>手机号</th><th>注册日期</th></tr></thead><tbody>
        {{#volunteers}}<tr><td>{{number}}</td><td>{{name}}</td><td>{{district}}</td><td>{{phone}}</td><td>{{registered_on}}</td></tr>{{/volunteers}}
        </tbody></table></div>{{/has_volunteers}}
        {{#next_page}}<p><a class="button" id="next" href="{{next_page}}">下一页</a></p>{{/next_page}}{{/error}}
        """

    static let anomalies = """
        <h1>{{year}} 年异常时长</h1>
        <p class="hint">不违反规则、但值得再看一眼的记录（与 vledger hours anomalies 相同）。</p>
        <form method="get" action="/anomalies" class="card"><label for="year">年度</label><input id="year" name="year" value="{{year}}" inputmode="numeric" style="max-width:8rem">
        <p><button type="submit">查看</button></p></form>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        {{^error}}{{^has_entries}}{{^has_lookups}}<p class="notice ok" id="none">没有发现异常。</p>{{/has_lookups}}{{/has_entries}}
        {{#has_entries}}<h2>时长记录（{{count}} 条）</h2>{{#truncated}}<p class="hint">只显示前 300 条（全部请用 vledger hours anomalies）。</p>{{/truncated}}
        <div class="scroll"><table id="anomalies"><thead><tr><th>原因</th><th>代码</th><th class="num">记录</th><th>志愿者</th></tr></thead><tbody>
        {{#entries}}<tr><td>{{reason}}</td><td><code>{{code}}</code></td><td class="num">{{entry}}</td><td>{{volunteer}}</td></tr>{{/entries}}
        </tbody></table></div>{{/has_entries}}
        {{#has_lookups}}<h2>按身份证号查询未命中</h2>
        <div class="scroll"><table id="lookups"><thead><tr><th>原因</th><th>代码</th><th>登录名</th></tr></thead><tbody>
        {{#lookups}}<tr><td>{{reason}}</td><td><code>{{code}}</code></td><td>{{login}}</td></tr>{{/lookups}}
        </tbody></table></div>{{/has_lookups}}{{/error}}
        """

    static let populations = """
        <h1>常住人口</h1>
        <form method="get" action="/populations" class="card"><label for="year">年度（可选）</label><input id="year" name="year" value="{{year}}" inputmode="numeric" style="max-width:8rem">
        <p><button type="submit">查看</button></p></form>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        {{^has_figures}}<p class="notice ok" id="none">没有常住人口数据。</p>{{/has_figures}}
        {{#has_figures}}<div class="scroll"><table id="populations"><thead><tr><th>街道</th><th class="num">年度</th><th class="num">常住人口</th><th>来源</th><th>记录</th><th>现行</th></tr></thead><tbody>
        {{#figures}}<tr><td>{{district}}<br><span class="hint">{{code}}</span></td><td class="num">{{year}}</td><td class="num">{{residents}}</td><td>{{source}}</td>\
        <td>{{by}}<br><span class="hint">{{at}}</span></td><td>{{#in_force}}<span class="yes">✓ 现行</span>{{/in_force}}{{^in_force}}已被修订{{/in_force}}</td></tr>{{/figures}}
        </tbody></table></div>{{/has_figures}}
        """

    static let districts = """
        <h1>街道</h1>
        <div class="scroll"><table id="district-list"><thead><tr><th>区划代码</th><th>名称</th><th>建成区</th><th>记录人</th></tr></thead><tbody>
        {{#districts}}<tr><td>{{code}}</td><td>{{name}}</td><td>{{built_up}}</td><td>{{by}}</td></tr>{{/districts}}
        </tbody></table></div>
        <p><a href="/populations">常住人口</a> · <a href="/outreach">待联系志愿者</a></p>
        """
}
