/// The staff's desk: import a spreadsheet, find volunteers, move and deregister them.
enum WebStaffTemplates {
    static let importForm = """
        <h1>导入志愿者表格</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        <form method="post" action="/volunteers/import" enctype="multipart/form-data" class="card" id="import">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="file">表格文件（CSV 或 xlsx，最大 50 MB）</label>
        <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required \
        {{#error_file}}aria-invalid="true"{{/error_file}} aria-describedby="file-error file-hint">
        <p class="field-error" id="file-error" aria-live="polite">{{error_file}}</p>
        <p class="hint" id="file-hint">第一行为表头：姓名、身份证号、手机号、所属区划、注册日期（可选：监护人姓名、监护人电话、监护人同意）；也可用英文列名 name, id_number, phone, district_code, registered_on。</p>
        <label><input type="checkbox" name="skip_bad" value="yes" style="width:auto" {{#skip_bad}}checked{{/skip_bad}}> 跳过不合格的行，只导入合格的行（不合格的行可下载修改后再导入）</label>
        <p><button type="submit">上传并导入</button></p></form>
        """

    static let importReport = """
        <h1>导入结果：{{file}}</h1>
        <p class="notice {{#clean}}ok{{/clean}}{{^clean}}bad{{/clean}}" role="status" id="outcome">{{summary}}</p>
        <dl class="facts card" id="counts"><dt>数据行</dt><dd id="n-rows">{{rows}}</dd><dt>已导入</dt><dd id="n-applied">{{applied}}</dd>
        <dt>已存在（未重复导入）</dt><dd id="n-present">{{present}}</dd><dt>不合格的行</dt><dd id="n-bad">{{bad}}</dd></dl>
        {{#rejects}}<p><a class="button" id="rejects" href="{{rejects}}" download>下载不合格的行（CSV）</a> <span class="hint">修改后可直接再导入此文件；链接 1 小时内有效。</span></p>{{/rejects}}
        {{#has_problems}}<h2>逐行问题</h2>{{#truncated}}<p class="hint">共 {{problem_count}} 条，只显示前 {{shown}} 条。</p>{{/truncated}}
        <div class="scroll"><table id="problems"><thead><tr><th class="num">行号</th><th>列</th><th>内容</th><th>问题</th></tr></thead><tbody>
        {{#problems}}<tr><td class="num">{{line}}</td><td>{{field}}</td><td>{{value}}</td><td>{{reason}}</td></tr>{{/problems}}
        </tbody></table></div>{{/has_problems}}
        <p><a class="button" href="/volunteers/import">再导入一个文件</a> <a class="button secondary" href="/volunteers">志愿者名册</a></p>
        """

    static let list = """
        <h1>志愿者名册</h1>
        <form method="get" action="/volunteers" class="card" role="search">
        <label for="q">姓名、编号、手机号或身份证号</label><input id="q" name="q" value="{{q}}" autocomplete="off">
        <label for="district">街道</label><select id="district" name="district"><option value="">全部（我可见的）</option>\
        {{#districts}}<option value="{{code}}" {{#selected}}selected{{/selected}}>{{name}}（{{code}}）</option>{{/districts}}</select>
        <p><button type="submit">查找</button> <a class="button secondary" href="/volunteers/import">导入表格</a> <a class="button secondary" href="/volunteers/new">登记志愿者</a></p></form>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        {{^volunteers}}<p class="notice ok" id="none">没有符合条件的志愿者。</p>{{/volunteers}}
        {{#has_volunteers}}<p class="hint">第 {{from}}–{{to}} 人，共 {{total}} 人。身份证号和手机号已遮蔽。</p>
        <div class="scroll"><table id="volunteers"><thead><tr><th>编号</th><th>姓名</th><th>街道</th><th>手机号</th><th>身份证号</th><th>注册日期</th></tr></thead><tbody>
        {{#volunteers}}<tr><td><a href="/volunteers/{{number}}">{{number}}</a></td><td>{{name}}</td><td>{{district}}</td><td>{{phone}}</td><td>{{id_number}}</td><td>{{registered_on}}</td></tr>{{/volunteers}}
        </tbody></table></div>{{/has_volunteers}}
        <p>{{#first_page}}<a class="button secondary" href="{{first_page}}">第一页</a>{{/first_page}} {{#next_page}}<a class="button" id="next" href="{{next_page}}">下一页</a>{{/next_page}}</p>
        """

    static let volunteer = """
        <h1>{{name}}（{{number}}）</h1>
        {{#error}}<p class="notice bad" role="alert" id="error">{{error}}</p>{{/error}}
        <dl class="facts card" id="details"><dt>身份证号</dt><dd>{{id_number}}</dd><dt>手机号</dt><dd>{{phone}}</dd>
        <dt>注册日期</dt><dd>{{registered_on}}</dd><dt>当前街道</dt><dd id="current-district">{{district}}</dd>
        {{#guardian}}<dt>监护人</dt><dd>{{guardian}}</dd>{{/guardian}}
        {{#deregistered}}<dt>注销</dt><dd id="deregistered">{{deregistered}}</dd>{{/deregistered}}</dl>
        {{#has_history}}<h2>街道变更记录</h2><div class="scroll"><table id="history"><thead><tr><th>起始日期</th><th>街道</th><th>记录人</th></tr></thead><tbody>
        {{#history}}<tr><td>{{from}}</td><td>{{name}}（{{code}}）</td><td>{{by}}</td></tr>{{/history}}</tbody></table></div>{{/has_history}}
        {{^deregistered}}
        <h2>迁往其他街道</h2>
        <form method="post" action="/volunteers/{{number}}/move" class="card" id="move">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="move_district">新街道</label><select id="move_district" name="district" aria-describedby="move_district-error">\
        {{#districts}}<option value="{{code}}" {{#selected}}selected{{/selected}}>{{name}}（{{code}}）</option>{{/districts}}</select>
        <p class="field-error" id="move_district-error" aria-live="polite">{{error_move_district}}</p>
        <label for="move_on">生效日期</label><input id="move_on" name="on" value="{{move_on}}" placeholder="YYYY-MM-DD" required \
        {{#error_move_on}}aria-invalid="true"{{/error_move_on}} aria-describedby="move_on-error">
        <p class="field-error" id="move_on-error" aria-live="polite">{{error_move_on}}</p>
        <p><button type="submit">迁移</button></p></form>
        <h2>注销</h2>
        <form method="post" action="/volunteers/{{number}}/deregister" class="card" id="deregister">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="dereg_on">注销日期</label><input id="dereg_on" name="on" value="{{dereg_on}}" placeholder="YYYY-MM-DD" required \
        {{#error_dereg_on}}aria-invalid="true"{{/error_dereg_on}} aria-describedby="dereg_on-error">
        <p class="field-error" id="dereg_on-error" aria-live="polite">{{error_dereg_on}}</p>
        <label for="dereg_reason">注销原因</label><input id="dereg_reason" name="reason" value="{{dereg_reason}}" required \
        {{#error_dereg_reason}}aria-invalid="true"{{/error_dereg_reason}} aria-describedby="dereg_reason-error">
        <p class="field-error" id="dereg_reason-error" aria-live="polite">{{error_dereg_reason}}</p>
        <p><button type="submit" class="danger">注销</button></p></form>
        {{/deregistered}}
        <p><a class="button secondary" href="/volunteers">返回名册</a></p>
        """
}
