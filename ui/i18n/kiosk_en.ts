<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AttractScreen</name>
    <message>
        <source>欢迎使用政务服务自助终端</source>
        <translation>Welcome to the self-service government terminal</translation>
    </message>
    <message>
        <source>请轻触屏幕任意位置开始</source>
        <translation>Touch anywhere on the screen to start</translation>
    </message>
</context>
<context>
    <name>BugNotice</name>
    <message>
        <source>出错了，请联系工作人员
Something went wrong, please ask staff</source>
        <translation>Something went wrong, please ask staff</translation>
    </message>
    <message>
        <source>呼叫工作人员 Call staff</source>
        <translation>Call staff</translation>
    </message>
    <message>
        <source>返回 Back</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>ComingSoonScreen</name>
    <message>
        <source>本终端暂未开通此项服务，请到窗口办理或咨询工作人员。</source>
        <translation>This service is not available on this terminal yet. Please go to a service counter or ask the staff.</translation>
    </message>
    <message>
        <source>返回首页 Home</source>
        <translation>Home</translation>
    </message>
</context>
<context>
    <name>CoreTerms</name>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>个人办事</source>
        <translation>For individuals</translation>
    </message>
    <message>
        <source>法人办事</source>
        <translation>For businesses</translation>
    </message>
    <message>
        <source>个人</source>
        <translation>Individuals</translation>
    </message>
    <message>
        <source>法人</source>
        <translation>Businesses</translation>
    </message>
    <message>
        <source>零跑动</source>
        <translation>No visit needed</translation>
    </message>
    <message>
        <source>最多跑一次</source>
        <translation>At most one visit</translation>
    </message>
    <message>
        <source>即办（当场办结）</source>
        <translation>Done on the spot</translation>
    </message>
    <message>
        <source>可容缺后补</source>
        <translation>May follow later</translation>
    </message>
    <message>
        <source>标有「可容缺后补」的材料，暂时缺少也可以先受理，之后再补交。</source>
        <translation>Materials marked &quot;May follow later&quot; can be handed in later; the application is accepted without them.</translation>
    </message>
    <message>
        <source>不收费</source>
        <translation>Free of charge</translation>
    </message>
    <message>
        <source>事项简介</source>
        <translation>About this service</translation>
    </message>
    <message>
        <source>办理方式</source>
        <translation>How to apply</translation>
    </message>
    <message>
        <source>办理条件</source>
        <translation>Who can apply</translation>
    </message>
    <message>
        <source>申请材料</source>
        <translation>Materials needed</translation>
    </message>
    <message>
        <source>办理流程</source>
        <translation>Steps</translation>
    </message>
    <message>
        <source>办理时限</source>
        <translation>Time limits</translation>
    </message>
    <message>
        <source>收费标准</source>
        <translation>Fees</translation>
    </message>
    <message>
        <source>办理地点和时间</source>
        <translation>Where and when</translation>
    </message>
    <message>
        <source>咨询和投诉电话</source>
        <translation>Enquiries and complaints</translation>
    </message>
    <message>
        <source>设定依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <source>事项编码</source>
        <translation>Service code</translation>
    </message>
    <message>
        <source>到现场次数</source>
        <translation>Visits needed</translation>
    </message>
    <message>
        <source>本终端</source>
        <translation>This kiosk</translation>
    </message>
    <message>
        <source>网上办理</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>结果送达</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>承诺时限</source>
        <translation>Promised time</translation>
    </message>
    <message>
        <source>法定时限</source>
        <translation>Legal time limit</translation>
    </message>
    <message>
        <source>办理部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>办理地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <source>办公时间</source>
        <translation>Opening hours</translation>
    </message>
    <message>
        <source>咨询电话</source>
        <translation>Enquiries</translation>
    </message>
    <message>
        <source>投诉电话</source>
        <translation>Complaints</translation>
    </message>
    <message>
        <source>可以在这里申报</source>
        <translation>You can apply here</translation>
    </message>
    <message>
        <source>不能在这里申报，请到窗口办理</source>
        <translation>Cannot apply here; please apply at a service window</translation>
    </message>
    <message>
        <source>可以网上申报</source>
        <translation>You can apply online</translation>
    </message>
    <message>
        <source>需要到现场办理</source>
        <translation>Apply in person</translation>
    </message>
    <message>
        <source>可以快递送达</source>
        <translation>Can be sent by express delivery</translation>
    </message>
    <message>
        <source>到窗口领取</source>
        <translation>Collect at the window</translation>
    </message>
    <message>
        <source>纸质</source>
        <translation>paper</translation>
    </message>
    <message>
        <source>电子</source>
        <translation>electronic</translation>
    </message>
    <message>
        <source>纸质或电子</source>
        <translation>paper or electronic</translation>
    </message>
    <message>
        <source>必须提供</source>
        <translation>required</translation>
    </message>
    <message>
        <source>有则提供</source>
        <translation>if you have it</translation>
    </message>
    <message>
        <source>已填写</source>
        <translation>Filled in</translation>
    </message>
    <message>
        <source>%1个工作日</source>
        <translation>%1 working days</translation>
    </message>
    <message>
        <source>需跑%1次</source>
        <translation>%1 visits needed</translation>
    </message>
    <message>
        <source>第%1步：</source>
        <translation>Step %1: </translation>
    </message>
    <message>
        <source>%1（%2，%3，%4）。%5</source>
        <translation>%1 (%2, %3, %4). %5</translation>
    </message>
    <message>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>CountdownBanner</name>
    <message>
        <source>还剩 %1 秒，点击任意处继续</source>
        <translation>%1 seconds left. Touch anywhere to continue</translation>
    </message>
    <message>
        <source>继续</source>
        <translation>Continue</translation>
    </message>
</context>
<context>
    <name>DeclareScreen</name>
    <message>
        <source>网上申报</source>
        <translation>Apply online</translation>
    </message>
    <message>
        <source>退出办理 Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>上一步 Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>下一步 Next</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>已提交</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>第%1步/共%2步</source>
        <translation>Step %1 of %2</translation>
    </message>
    <message>
        <source>第%1步</source>
        <translation>Step %1</translation>
    </message>
    <message>
        <source>返回首页 Home</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>提交申报 Submit</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>重新提交 Try again</source>
        <translation>Try again</translation>
    </message>
    <message numerus="yes">
        <source>请补全：%1等%n项</source>
        <translation>
            <numerusform>Please complete: %1 (%n field in all)</numerusform>
            <numerusform>Please complete: %1 (%n fields in all)</numerusform>
        </translation>
    </message>
    <message>
        <source>请补全：%1</source>
        <translation>Please complete: %1</translation>
    </message>
    <message>
        <source>还缺材料：%1</source>
        <translation>Still needed: %1</translation>
    </message>
    <message>
        <source>此事项不能在本机申报</source>
        <translation>You cannot apply for this service here</translation>
    </message>
    <message>
        <source>请按提示修改送达信息</source>
        <translation>Please correct the delivery details as shown</translation>
    </message>
</context>
<context>
    <name>DeliveryPage</name>
    <message>
        <source>办理结果如何领取？</source>
        <translation>How would you like to get the result?</translation>
    </message>
    <message>
        <source>快递送达
Express delivery</source>
        <translation>Express delivery</translation>
    </message>
    <message>
        <source>此事项不提供快递送达。</source>
        <translation>Express delivery is not available for this service.</translation>
    </message>
    <message>
        <source>收件地址（已按卡片预填，可修改）</source>
        <translation>Delivery address (pre-filled from your card; you can change it)</translation>
    </message>
    <message>
        <source>收件人手机号码</source>
        <translation>Recipient&apos;s mobile number</translation>
    </message>
    <message>
        <source>11位手机号码 · 11-digit mobile</source>
        <translation>11-digit mobile number</translation>
    </message>
    <message>
        <source>领取地点：%1</source>
        <translation>Collect at: %1</translation>
    </message>
    <message>
        <source>窗口领取</source>
        <translation>Collect at the counter</translation>
    </message>
</context>
<context>
    <name>DemoCardKeys</name>
    <message>
        <source>已放上</source>
        <translation>on the reader</translation>
    </message>
    <message>
        <source>未放</source>
        <translation>not placed</translation>
    </message>
    <message>
        <source>已插入</source>
        <translation>inserted</translation>
    </message>
    <message>
        <source>未插</source>
        <translation>not inserted</translation>
    </message>
    <message>
        <source>演示：F5 放上/取走身份证（%1），F6 插入/拔出市民卡（%2）</source>
        <translation>Demo: F5 places/removes the ID card (%1), F6 inserts/removes the citizen card (%2)</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>发现
Discover</source>
        <translation>Discover</translation>
    </message>
    <message>
        <source>测试
Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>保存并应用
Save &amp;&amp; apply</source>
        <translation>Save &amp;&amp; apply</translation>
    </message>
    <message>
        <source>或手动输入 Or type it</source>
        <translation>Or type it</translation>
    </message>
    <message>
        <source>使用 Use</source>
        <translation>Use</translation>
    </message>
    <message>
        <source>当前 Current: </source>
        <translation>Current: </translation>
    </message>
    <message>
        <source>待保存 To save: </source>
        <translation>To save: </translation>
    </message>
    <message>
        <source>未更改 No change</source>
        <translation>No change</translation>
    </message>
    <message>
        <source>状态 Status: —</source>
        <translation>Status: —</translation>
    </message>
    <message>
        <source>状态 Status: </source>
        <translation>Status: </translation>
    </message>
    <message>
        <source>按“发现设备”查找已连接的设备  Press Discover</source>
        <translation>Press Discover to find connected devices</translation>
    </message>
    <message numerus="yes">
        <source>找到 %n 个</source>
        <translation>
            <numerusform>Found %n device</numerusform>
            <numerusform>Found %n devices</numerusform>
        </translation>
    </message>
    <message>
        <source>正在查找… Discovering…</source>
        <translation>Discovering…</translation>
    </message>
    <message>
        <source>请输入名称 Enter a name</source>
        <translation>Enter a name</translation>
    </message>
    <message>
        <source>姓名 Name: </source>
        <translation>Name: </translation>
    </message>
    <message>
        <source>证件号码 ID number: </source>
        <translation>ID number: </translation>
    </message>
    <message>
        <source>没有需要保存的更改  Nothing to save</source>
        <translation>Nothing to save</translation>
    </message>
    <message>
        <source>正在保存… Saving…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>受理编号（请保存，可凭此查询进度）</source>
        <translation>Receipt number (keep it to check progress)</translation>
    </message>
    <message>
        <source>重新打印 Print again</source>
        <translation>Print again</translation>
    </message>
    <message>
        <source>评价服务 Rate this service</source>
        <translation>Rate this service</translation>
    </message>
    <message>
        <source>完成 Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>不打印，完成 Finish without printing</source>
        <translation>Finish without printing</translation>
    </message>
</context>
<context>
    <name>EdgeHint</name>
    <message>
        <source>更多 ›</source>
        <translation>More ›</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <source>（必填）</source>
        <translation> (required)</translation>
    </message>
    <message>
        <source>（选填 optional）</source>
        <translation> (optional)</translation>
    </message>
</context>
<context>
    <name>FolderChooser</name>
    <message>
        <source>导出到 Export to:</source>
        <translation>Export to:</translation>
    </message>
    <message>
        <source>未发现U盘，请插入或输入文件夹 / No USB drive found: insert one or type a folder</source>
        <translation>No USB drive found: insert one or type a folder</translation>
    </message>
    <message>
        <source>重新查找 Rescan</source>
        <translation>Rescan</translation>
    </message>
    <message>
        <source>文件夹路径 Folder path, e.g. /media/usb</source>
        <translation>Folder path, e.g. /media/usb</translation>
    </message>
    <message>
        <source>键盘 Keyboard</source>
        <translation>Keyboard</translation>
    </message>
    <message>
        <source>U盘 {0}</source>
        <translation>USB drive {0}</translation>
    </message>
</context>
<context>
    <name>FormPage</name>
    <message>
        <source>收起 Less</source>
        <translation>Less</translation>
    </message>
    <message>
        <source>展开 Show all</source>
        <translation>Show all</translation>
    </message>
    <message>
        <source>请填写以下内容</source>
        <translation>Please fill in the following</translation>
    </message>
    <message>
        <source>表格已全部填好，请点“下一步”。</source>
        <translation>The form is complete. Please tap &quot;Next&quot;.</translation>
    </message>
    <message>
        <source>已从卡片读取：</source>
        <translation>Read from your card: </translation>
    </message>
    <message>
        <source> 等%1项</source>
        <translation> and more (%1 in all)</translation>
    </message>
</context>
<context>
    <name>FormsScreen</name>
    <message>
        <source>表格打印</source>
        <translation>Print forms</translation>
    </message>
    <message>
        <source>返回首页 Home</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>打印空白表格
Blank form: fill in by hand</source>
        <translation>Print a blank form
Fill it in by hand</translation>
    </message>
    <message>
        <source>刷卡预填姓名、证件号等
Pre-fill from my ID card or citizen card</source>
        <translation>Pre-fill name, ID number and more
from my ID card or citizen card</translation>
    </message>
    <message>
        <source>预填只填写卡上的信息，其余栏目打印后手写。</source>
        <translation>Only the details on the card are pre-filled; fill in the rest by hand after printing.</translation>
    </message>
    <message>
        <source>返回 Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>请将身份证或市民卡放在读卡区</source>
        <translation>Place your ID card or citizen card on the card reader</translation>
    </message>
    <message>
        <source>重新读卡 Try again</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>改印空白表格 Blank form</source>
        <translation>Print a blank form instead</translation>
    </message>
    <message>
        <source>打印 Print</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>请选择要打印的表格</source>
        <translation>Choose the form to print</translation>
    </message>
    <message>
        <source>空白表格还是预填表格？</source>
        <translation>Blank form or pre-filled form?</translation>
    </message>
    <message>
        <source>正在等待读卡…</source>
        <translation>Waiting for the card…</translation>
    </message>
    <message>
        <source>刷卡预填</source>
        <translation>Pre-fill from card</translation>
    </message>
    <message numerus="yes">
        <source>空白表格，共 %n 栏，打印后手写。</source>
        <translation>
            <numerusform>Blank form with %n field; fill it in by hand after printing.</numerusform>
            <numerusform>Blank form with %n fields; fill them in by hand after printing.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>已按卡片预填 %n 栏，其余栏目打印后手写。</source>
        <translation>
            <numerusform>%n field pre-filled from the card; fill in the rest by hand.</numerusform>
            <numerusform>%n fields pre-filled from the card; fill in the rest by hand.</numerusform>
        </translation>
    </message>
    <message>
        <source>（手写）</source>
        <translation>(by hand)</translation>
    </message>
    <message>
        <source>请核对后打印</source>
        <translation>Please check, then print</translation>
    </message>
</context>
<context>
    <name>GuideDetailScreen</name>
    <message>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>返回列表</source>
        <translation>Back to the list</translation>
    </message>
    <message>
        <source>打印办事指南</source>
        <translation>Print this guide</translation>
    </message>
    <message>
        <source>在线申报</source>
        <translation>Apply online</translation>
    </message>
    <message>
        <source>没有找到这个事项</source>
        <translation>This service was not found</translation>
    </message>
    <message>
        <source>这个事项可能已经调整，请返回重新查找，或咨询工作人员。</source>
        <translation>This service may have changed. Please go back and search again, or ask the staff.</translation>
    </message>
    <message>
        <source>本机可申报</source>
        <translation>Can apply here</translation>
    </message>
    <message>
        <source>本机不能申报</source>
        <translation>Cannot apply here</translation>
    </message>
    <message>
        <source>可网上办</source>
        <translation>Available online</translation>
    </message>
    <message>
        <source>可快递送达</source>
        <translation>Can be delivered by courier</translation>
    </message>
    <message>
        <source>本终端暂不支持打印办事指南。</source>
        <translation>This terminal cannot print service guides yet.</translation>
    </message>
    <message>
        <source>此事项不能在本终端申报，请到窗口办理。</source>
        <translation>You cannot apply for this service here. Please go to a service counter.</translation>
    </message>
    <message>
        <source>本终端暂不支持在线申报此事项。</source>
        <translation>This terminal cannot take online applications for this service yet.</translation>
    </message>
</context>
<context>
    <name>GuideScreen</name>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>办事指南</source>
        <translation>Service guides</translation>
    </message>
    <message>
        <source>输入事项名称或拼音首字母，如 sfz（身份证）</source>
        <translation>Name or pinyin, e.g. sfz</translation>
    </message>
    <message>
        <source>搜索办事指南</source>
        <translation>Search service guides</translation>
    </message>
    <message>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>清除搜索内容</source>
        <translation>Clear the search</translation>
    </message>
    <message>
        <source>「%1」的搜索结果</source>
        <translation>Results for &quot;%1&quot;</translation>
    </message>
    <message>
        <source>常办事项</source>
        <translation>Common services</translation>
    </message>
    <message>
        <source>%1 的常办事项</source>
        <translation>Common services: %1</translation>
    </message>
    <message>
        <source>（显示前 %1 项，输入更多文字可缩小范围）</source>
        <translation> (showing the first %1; type more to narrow the list)</translation>
    </message>
    <message>
        <source>在「%1」中</source>
        <translation>in &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1没有找到相关事项。试试拼音首字母，如 sfz（身份证）；或者选「全部」再找。</source>
        <translation>%1 nothing found. Try pinyin initials, e.g. sfz (ID card), or choose &quot;All&quot; and search again.</translation>
    </message>
</context>
<context>
    <name>HandwritingPad</name>
    <message>
        <source>手写板</source>
        <translation>Handwriting pad</translation>
    </message>
</context>
<context>
    <name>HelpScreen</name>
    <message>
        <source>呼叫工作人员</source>
        <translation>Call for help</translation>
    </message>
    <message>
        <source>工作人员电话：%1</source>
        <translation>Staff phone: %1</translation>
    </message>
    <message>
        <source>请到服务窗口找工作人员。</source>
        <translation>Please ask a member of staff at the service window.</translation>
    </message>
    <message>
        <source>正在发出求助…
Sending your request…</source>
        <translation>Sending your request…</translation>
    </message>
    <message>
        <source>着急请拨打上面的电话，或到服务窗口。</source>
        <translation>If it is urgent, call the number above or go to the service window.</translation>
    </message>
    <message>
        <source>着急请到服务窗口找工作人员。</source>
        <translation>If it is urgent, ask at the service window.</translation>
    </message>
    <message>
        <source>求助已发出，工作人员约%1分钟内收到。</source>
        <translation>Your request is on its way: staff see it within about %1 minutes.</translation>
    </message>
    <message>
        <source>网络未连接：求助已保存在本机，联网后自动发给工作人员。</source>
        <translation>No network: your request is kept here and reaches staff when the link is back.</translation>
    </message>
    <message>
        <source>本机不能自动通知工作人员。</source>
        <translation>This terminal cannot notify staff by itself.</translation>
    </message>
    <message>
        <source>请拨打上面的电话，或到服务窗口。</source>
        <translation>Please call the number above or go to the service window.</translation>
    </message>
    <message>
        <source>返回 Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>通知未能发出，请到服务窗口。
Could not notify staff: please ask at the counter.</source>
        <translation>Could not notify staff. Please ask at the counter.</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <source>办事指南</source>
        <translation>Service guides</translation>
    </message>
    <message>
        <source>表格打印</source>
        <translation>Print forms</translation>
    </message>
    <message>
        <source>网上申报</source>
        <translation>Apply online</translation>
    </message>
    <message>
        <source>办件查询</source>
        <translation>Check progress</translation>
    </message>
    <message>
        <source>服务评价</source>
        <translation>Rate our service</translation>
    </message>
    <message>
        <source>您好，请选择要办理的业务</source>
        <translation>Hello, please choose a service</translation>
    </message>
    <message>
        <source>轻触屏幕上的方块即可开始；如需帮助，请联系工作人员。</source>
        <translation>Touch a tile to start. If you need help, please ask the staff.</translation>
    </message>
</context>
<context>
    <name>IdentifyPage</name>
    <message>
        <source>请将身份证或市民卡放在读卡区</source>
        <translation>Place your ID card or citizen card on the card reader</translation>
    </message>
    <message>
        <source>这张卡读不出来？可以换一张卡：身份证或市民卡都可以。</source>
        <translation>Card cannot be read? Try another card: an ID card or a citizen card will both work.</translation>
    </message>
    <message>
        <source>重新读卡 Try again</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>换一张卡 Use another card</source>
        <translation>Use another card</translation>
    </message>
    <message>
        <source>正在等待读卡…</source>
        <translation>Waiting for the card…</translation>
    </message>
    <message>
        <source>已识别：%1</source>
        <translation>Identified: %1</translation>
    </message>
    <message>
        <source>请取回您的卡片，核对无误后点“下一步”。</source>
        <translation>Please take your card back. If this is you, tap Next.</translation>
    </message>
</context>
<context>
    <name>KeyboardDock</name>
    <message>
        <source>收起键盘</source>
        <translation>Hide keyboard</translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <source>运行日志 Kiosk log</source>
        <translation>Kiosk log</translation>
    </message>
    <message>
        <source>操作记录 Audit log</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>刷新 Reload</source>
        <translation>Reload</translation>
    </message>
    <message>
        <source>正在读取… Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>导出日志和配置
Export logs and config</source>
        <translation>Export logs and config</translation>
    </message>
    <message>
        <source>无法读取日志 Cannot read the log: {0}</source>
        <translation>Cannot read the log: {0}</translation>
    </message>
    <message>
        <source>（日志为空）(the log is empty)</source>
        <translation>(the log is empty)</translation>
    </message>
    <message>
        <source>正在导出… Exporting…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>已导出 {0} 个文件到 Exported {0} files to {1}</source>
        <translation>Exported {0} files to {1}</translation>
    </message>
    <message>
        <source>导出失败 Export failed: {0}</source>
        <translation>Export failed: {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>政务服务自助终端</source>
        <translation>Government self-service terminal</translation>
    </message>
</context>
<context>
    <name>MaterialCapture</name>
    <message>
        <source>拍照 Capture</source>
        <translation>Capture</translation>
    </message>
    <message>
        <source>用扫描仪 Use the scanner</source>
        <translation>Use the scanner</translation>
    </message>
    <message>
        <source>稍后补交
Submit later</source>
        <translation>Submit later</translation>
    </message>
    <message>
        <source>返回 Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>开始扫描 Start scan</source>
        <translation>Start scan</translation>
    </message>
    <message>
        <source>改用高拍仪 Use the camera</source>
        <translation>Use the camera</translation>
    </message>
    <message>
        <source>稍后补交 Submit later</source>
        <translation>Submit later</translation>
    </message>
    <message>
        <source>使用此页 Use this page</source>
        <translation>Use this page</translation>
    </message>
    <message>
        <source>再拍一页 Add a page</source>
        <translation>Add a page</translation>
    </message>
    <message>
        <source>重拍 Retake</source>
        <translation>Retake</translation>
    </message>
    <message>
        <source>改用扫描仪 Use the scanner</source>
        <translation>Use the scanner</translation>
    </message>
    <message>
        <source>重试 Try again</source>
        <translation>Try again</translation>
    </message>
    <message numerus="yes">
        <source>第 %n 页，请核对</source>
        <translation>
            <numerusform>Page %n: please check</numerusform>
            <numerusform>Page %n: please check</numerusform>
        </translation>
    </message>
    <message>
        <source>重扫 Scan again</source>
        <translation>Scan again</translation>
    </message>
    <message>
        <source>再扫一页 Scan another page</source>
        <translation>Scan another page</translation>
    </message>
    <message numerus="yes">
        <source>已拍 %n 页</source>
        <translation>
            <numerusform>%n page taken</numerusform>
            <numerusform>%n pages taken</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MaterialRowWidget</name>
    <message>
        <source>（选填 optional）</source>
        <translation> (optional)</translation>
    </message>
    <message>
        <source>（可容缺后补）</source>
        <translation> (can be handed in later)</translation>
    </message>
    <message>
        <source>重拍 Retake</source>
        <translation>Retake</translation>
    </message>
    <message>
        <source>拍照 Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>扫描 Scanner</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <source>容缺·稍后补交 Hand in later</source>
        <translation>Hand in later</translation>
    </message>
</context>
<context>
    <name>MaterialsPage</name>
    <message>
        <source>请逐项拍照或扫描提交材料</source>
        <translation>Please photograph or scan each material</translation>
    </message>
    <message>
        <source>还需提交%1项必需材料</source>
        <translation>Required materials still missing: %1</translation>
    </message>
    <message>
        <source>必需的材料已齐，可以点“下一步”。</source>
        <translation>All required materials are in. You can tap &quot;Next&quot;.</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <source>数字 123</source>
        <translation>123</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>字母 ABC</source>
        <translation>ABC</translation>
    </message>
    <message>
        <source>中文 拼音</source>
        <translation>Chinese pinyin</translation>
    </message>
    <message>
        <source>撤销一笔</source>
        <translation>Undo stroke</translation>
    </message>
    <message>
        <source>重写</source>
        <translation>Rewrite</translation>
    </message>
    <message>
        <source>手写</source>
        <translation>Handwriting</translation>
    </message>
    <message>
        <source>英文 ABC</source>
        <translation>ABC</translation>
    </message>
    <message>
        <source>本机暂时不能输入汉字，只能输入字母和数字</source>
        <translation>Chinese characters cannot be entered on this terminal now; letters and digits only</translation>
    </message>
    <message>
        <source>输入拼音，再点选汉字</source>
        <translation>Type pinyin, then tap the characters</translation>
    </message>
    <message>
        <source>（拼音输入暂不可用）</source>
        <translation> (pinyin is not available)</translation>
    </message>
    <message>
        <source>在方框里写一个字，再点选</source>
        <translation>Write one character in the box, then tap it</translation>
    </message>
    <message>
        <source>（手写暂不可用）</source>
        <translation> (handwriting is not available)</translation>
    </message>
    <message>
        <source>点“中文 拼音”或“手写”输入汉字</source>
        <translation>Chinese pinyin or Handwriting</translation>
    </message>
</context>
<context>
    <name>PrintJobScreen</name>
    <message>
        <source>重试 Retry</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>返回 Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>返回首页 Home</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>取消 Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
</context>
<context>
    <name>ProgressScreen</name>
    <message>
        <source>办件查询</source>
        <translation>Check progress</translation>
    </message>
    <message>
        <source>返回首页</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>字母 ABC</source>
        <translation>ABC</translation>
    </message>
    <message>
        <source>数字 123</source>
        <translation>123</translation>
    </message>
    <message>
        <source>请输入或扫描回执上的编号</source>
        <translation>Type or scan the number on your receipt</translation>
    </message>
    <message>
        <source>回执编号</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <source>查询</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>扫描回执二维码</source>
        <translation>Scan the QR code on the receipt</translation>
    </message>
    <message>
        <source>停止扫描，输入编号</source>
        <translation>Stop scanning, type instead</translation>
    </message>
    <message>
        <source>再查一个</source>
        <translation>Check another</translation>
    </message>
    <message>
        <source>字母 abc</source>
        <translation>abc</translation>
    </message>
    <message>
        <source>请先输入回执上的受理编号。</source>
        <translation>Please type the receipt number first.</translation>
    </message>
    <message>
        <source>正在查询，请稍候…</source>
        <translation>Checking, please wait…</translation>
    </message>
    <message>
        <source>查询未能完成，请重试或到服务窗口咨询。</source>
        <translation>The check could not be finished. Please try again or ask at a service counter.</translation>
    </message>
    <message>
        <source>受理编号</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <source>办件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>请把回执平放在拍摄区，二维码朝上，直到下方画面中能看到它。</source>
        <translation>Lay the receipt flat under the camera, QR code up, until you can see it below.</translation>
    </message>
    <message>
        <source>请将回执上的二维码对准扫码窗口。</source>
        <translation>Hold the receipt&apos;s QR code to the scanner window.</translation>
    </message>
    <message>
        <source>正在扫描，还剩 %1 秒</source>
        <translation>Scanning, %1 seconds left</translation>
    </message>
</context>
<context>
    <name>RatingScreen</name>
    <message>
        <source>服务评价</source>
        <translation>Rate our service</translation>
    </message>
    <message>
        <source>请选择您对本次服务的评价 · Please choose a rating</source>
        <translation>Please choose a rating for this service</translation>
    </message>
    <message>
        <source>返回首页 Home</source>
        <translation>Home</translation>
    </message>
    <message>
        <source>输入完成 Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>提交评价 Submit</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>分项评分（可不填）1分最低，5分最高</source>
        <translation>Scores by topic (optional): 1 is the lowest, 5 the highest</translation>
    </message>
    <message>
        <source>不满意的原因（可多选）</source>
        <translation>Why were you not satisfied? (choose any)</translation>
    </message>
    <message>
        <source>意见建议（可不填）· Comment (optional)</source>
        <translation>Comments or suggestions (optional)</translation>
    </message>
    <message>
        <source>点此输入 · Tap to type</source>
        <translation>Tap to type</translation>
    </message>
    <message>
        <source>联系电话（可不填，仅用于回访）· Phone for a follow-up call (optional)</source>
        <translation>Phone for a follow-up call (optional)</translation>
    </message>
    <message>
        <source>11位手机号码 · 11-digit mobile</source>
        <translation>11-digit mobile number</translation>
    </message>
    <message>
        <source>感谢您的评价！</source>
        <translation>Thank you for your feedback!</translation>
    </message>
    <message>
        <source>如需回访，工作人员将致电 %1</source>
        <translation>If a follow-up is needed, our staff will call %1</translation>
    </message>
    <message>
        <source>评价未能保存，请重试或到服务窗口。
The rating could not be stored: please try again.</source>
        <translation>The rating could not be stored.
Please try again or go to a service counter.</translation>
    </message>
    <message>
        <source>业务回执号：%1</source>
        <translation>Receipt number: %1</translation>
    </message>
</context>
<context>
    <name>RejectedRow</name>
    <message>
        <source>被拒绝于 Rejected {0} · 尝试 {1} 次</source>
        <translation>Rejected {0}</translation>
    </message>
    <message>
        <source>原因 Reason: {0}</source>
        <translation>Reason: {0}</translation>
    </message>
    <message>
        <source>重新发送 Retry</source>
        <translation>Retry</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>请核对以下内容，无误后点“提交申报”。</source>
        <translation>Please check the details below. If they are correct, tap &quot;Submit&quot;.</translation>
    </message>
    <message>
        <source>按住显示完整信息</source>
        <translation>Hold to show in full</translation>
    </message>
    <message>
        <source>修改 Edit</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>办理事项 · Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>申请人：</source>
        <translation>Applicant: </translation>
    </message>
    <message>
        <source>申请表 · Form</source>
        <translation>Application form</translation>
    </message>
    <message>
        <source>（未填）</source>
        <translation>(not filled in)</translation>
    </message>
    <message>
        <source>申请材料 · Materials</source>
        <translation>Materials</translation>
    </message>
    <message>
        <source>送达方式 · Delivery</source>
        <translation>Delivery</translation>
    </message>
</context>
<context>
    <name>ServicePage</name>
    <message>
        <source>输入事项名称或拼音首字母，如 gjj · Search</source>
        <translation>Name or pinyin, e.g. gjj</translation>
    </message>
    <message>
        <source>搜索要申报的事项</source>
        <translation>Search for the service to apply for</translation>
    </message>
    <message>
        <source>没有找到可在本机申报的事项。</source>
        <translation>No services found that you can apply for here.</translation>
    </message>
    <message>
        <source>请在上方选择要申报的事项。</source>
        <translation>Please choose a service above.</translation>
    </message>
    <message>
        <source>请在左侧选择要申报的事项。</source>
        <translation>Please choose a service on the left.</translation>
    </message>
    <message>
        <source>需要的材料：</source>
        <translation>Materials needed: </translation>
    </message>
    <message>
        <source>（选填）</source>
        <translation> (optional)</translation>
    </message>
    <message>
        <source>（可容缺后补）</source>
        <translation> (can be handed in later)</translation>
    </message>
    <message>
        <source>需在线填写申请表，已按卡片预填。</source>
        <translation>An application form is filled in online; it is pre-filled from your card.</translation>
    </message>
</context>
<context>
    <name>SetupPinScreen</name>
    <message>
        <source>技术员登录</source>
        <translation>Technician sign-in</translation>
    </message>
    <message>
        <source>取消 Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>删除
Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>确定
OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>请输入 %1 到 %2 位技术员 PIN，再按“确定”。</source>
        <translation>Enter the technician PIN (%1 to %2 digits), then press &quot;OK&quot;.</translation>
    </message>
    <message>
        <source>本机尚未设置技术员 PIN。
请在终端命令行运行：kiosk set-pin</source>
        <translation>No technician PIN has been set on this terminal.
Run on the terminal&apos;s console: kiosk set-pin</translation>
    </message>
    <message>
        <source>错误次数过多，已锁定。请在 %1 后再试。</source>
        <translation>Too many wrong PINs: locked. Try again in %1.</translation>
    </message>
    <message>
        <source>正在核对…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>PIN 不正确，还可再试 %1 次。</source>
        <translation>Wrong PIN. Tries left: %1.</translation>
    </message>
    <message>
        <source>无法核对 PIN（存储出错），请查看终端日志。</source>
        <translation>Cannot check the PIN (storage error). See the terminal log.</translation>
    </message>
    <message>
        <source>可以再次输入 PIN。</source>
        <translation>You can enter the PIN again.</translation>
    </message>
</context>
<context>
    <name>SetupSave</name>
    <message>
        <source>设置有误，未保存  Not saved: </source>
        <translation>Not saved: </translation>
    </message>
    <message>
        <source>无法写入  Cannot write: </source>
        <translation>Cannot write: </translation>
    </message>
</context>
<context>
    <name>SetupScreen</name>
    <message>
        <source>退出
Exit</source>
        <translation>Exit</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <source>身份证</source>
        <translation>ID card</translation>
    </message>
    <message>
        <source>市民卡</source>
        <translation>citizen card</translation>
    </message>
    <message>
        <source>打印机</source>
        <translation>printer</translation>
    </message>
    <message>
        <source>高拍仪</source>
        <translation>document camera</translation>
    </message>
    <message>
        <source>扫描仪</source>
        <translation>scanner</translation>
    </message>
    <message>
        <source>呼叫工作人员</source>
        <translation>Call for help</translation>
    </message>
    <message>
        <source>长辈模式 Elder</source>
        <translation>Elder mode</translation>
    </message>
    <message>
        <source>标准模式</source>
        <translation>Standard mode</translation>
    </message>
    <message>
        <source>已开启，点按回到标准模式</source>
        <translation>On; tap to go back to standard mode</translation>
    </message>
    <message>
        <source>网络：已连接</source>
        <translation>Network: connected</translation>
    </message>
    <message>
        <source>网络：离线，申报将在联网后发送</source>
        <translation>Network: offline; applications will be sent when online</translation>
    </message>
    <message>
        <source>网络：终端凭据被拒绝，申报暂存本机</source>
        <translation>Network: terminal credentials refused; applications are kept here</translation>
    </message>
    <message>
        <source>网络：检测中</source>
        <translation>Network: checking</translation>
    </message>
    <message>
        <source>离线模式</source>
        <translation>Offline mode</translation>
    </message>
    <message numerus="yes">
        <source>&#x3000;待发送 %n 件</source>
        <translation>
            <numerusform>  %n waiting to send</numerusform>
            <numerusform>  %n waiting to send</numerusform>
        </translation>
    </message>
    <message>
        <source>设备故障：</source>
        <translation>Device fault: </translation>
    </message>
    <message>
        <source>设备：未检测</source>
        <translation>Devices: not checked</translation>
    </message>
    <message>
        <source>设备：正常</source>
        <translation>Devices: OK</translation>
    </message>
</context>
<context>
    <name>SubmitPage</name>
    <message>
        <source>正在提交，请稍候…</source>
        <translation>Submitting, please wait…</translation>
    </message>
    <message>
        <source>申报没有提交成功</source>
        <translation>Your application was not submitted</translation>
    </message>
    <message>
        <source>本机暂时无法保存申报。您填写的内容和材料都还在，请点“重新提交”，或请工作人员协助。</source>
        <translation>This terminal cannot save your application at the moment. Everything you entered and your materials are still here. Please tap &quot;Try again&quot;, or ask the staff for help.</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>同步 Sync</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>立即同步 Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>网络 Online state</source>
        <translation>Online state</translation>
    </message>
    <message>
        <source>待发送队列 Outbox</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <source>最早未发送 Oldest unsent</source>
        <translation>Oldest unsent</translation>
    </message>
    <message>
        <source>最近联系 Last contact</source>
        <translation>Last contact</translation>
    </message>
    <message>
        <source>最近错误 Last error</source>
        <translation>Last error</translation>
    </message>
    <message>
        <source>目录版本 Catalogue version</source>
        <translation>Catalogue version</translation>
    </message>
    <message>
        <source>被拒绝的项目 Rejected items</source>
        <translation>Rejected items</translation>
    </message>
    <message>
        <source>导出 Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>导出全部被拒绝项目 Export all rejected items</source>
        <translation>Export all rejected items</translation>
    </message>
    <message>
        <source>没有被拒绝的项目 No rejected items</source>
        <translation>No rejected items</translation>
    </message>
    <message>
        <source>无法读取同步状态 Cannot read the sync state: {0}</source>
        <translation>Cannot read the sync state: {0}</translation>
    </message>
    <message>
        <source>待发送 {0} pending · 发送中 {1} sending · 被拒绝 {2} rejected</source>
        <translation>{0} pending · {1} sending · {2} rejected</translation>
    </message>
    <message>
        <source>无 None</source>
        <translation>None</translation>
    </message>
    <message>
        <source>从未 Never</source>
        <translation>Never</translation>
    </message>
    <message>
        <source>在线 Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>离线 Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>终端凭据被拒绝，请检查终端凭据 Credentials refused: check the terminal&apos;s credentials</source>
        <translation>Credentials refused: check the terminal&apos;s credentials</translation>
    </message>
    <message>
        <source>尚未联系 Not contacted yet</source>
        <translation>Not contacted yet</translation>
    </message>
    <message>
        <source>未配置平台，仅离线工作 No platform configured (offline only)</source>
        <translation>No platform configured (offline only)</translation>
    </message>
    <message>
        <source>（同步服务未运行 sync service not running）</source>
        <translation>(sync service not running)</translation>
    </message>
    <message>
        <source>被拒绝的项目 Rejected items ({0})</source>
        <translation>Rejected items ({0})</translation>
    </message>
    <message>
        <source>正在同步… Syncing…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>未配置平台，无法同步 No platform is configured: nothing to sync with</source>
        <translation>No platform is configured: nothing to sync with</translation>
    </message>
    <message>
        <source>同步服务未运行 The sync service is not running</source>
        <translation>The sync service is not running</translation>
    </message>
    <message>
        <source>同步完成 Sync done: 待发送 {0} pending, 被拒绝 {1} rejected</source>
        <translation>Sync done: {0} pending, {1} rejected</translation>
    </message>
    <message>
        <source>同步失败 Sync failed: {0}</source>
        <translation>Sync failed: {0}</translation>
    </message>
    <message>
        <source>{0} 已重新排队发送 is queued again</source>
        <translation>{0} is queued again</translation>
    </message>
    <message>
        <source>该项目已不在被拒绝列表中 This item is no longer rejected</source>
        <translation>This item is no longer rejected</translation>
    </message>
    <message>
        <source>操作失败 The action failed: {0}</source>
        <translation>The action failed: {0}</translation>
    </message>
    <message>
        <source>已导出 {0} 项到 Exported {0} items to {1}</source>
        <translation>Exported {0} items to {1}</translation>
    </message>
</context>
<context>
    <name>TerminalPage</name>
    <message>
        <source>终端 Terminal</source>
        <translation>Terminal</translation>
    </message>
    <message>
        <source>撤销
Undo</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>保存并应用
Save &amp;&amp; apply</source>
        <translation>Save &amp;&amp; apply</translation>
    </message>
    <message>
        <source>终端编号 Terminal ID</source>
        <translation>Terminal ID</translation>
    </message>
    <message>
        <source>站点名称 Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>区划代码 Region code</source>
        <translation>Region code</translation>
    </message>
    <message>
        <source>平台地址 Platform</source>
        <translation>Platform</translation>
    </message>
    <message>
        <source>平台令牌 Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>空闲超时(秒) Idle timeout (s)</source>
        <translation>Idle timeout (s)</translation>
    </message>
    <message>
        <source>默认长辈模式 Elder mode</source>
        <translation>Elder mode</translation>
    </message>
    <message>
        <source>默认语言 Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>音量 Volume</source>
        <translation>Volume</translation>
    </message>
    <message>
        <source>开 On</source>
        <translation>On</translation>
    </message>
    <message>
        <source>关 Off</source>
        <translation>Off</translation>
    </message>
    <message>
        <source>已保存 Stored </source>
        <translation>Stored </translation>
    </message>
    <message>
        <source>未设置 Not set</source>
        <translation>Not set</translation>
    </message>
    <message>
        <source>没有需要保存的更改  Nothing to save</source>
        <translation>Nothing to save</translation>
    </message>
    <message>
        <source>正在保存… Saving…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>TouchScrollBar</name>
    <message>
        <source>上下滚动</source>
        <translation>Scroll up and down</translation>
    </message>
</context>
<context>
    <name>widget</name>
    <message>
        <source>已保存到 Saved to </source>
        <translation>Saved to </translation>
    </message>
    <message>
        <source>（启动时未指定配置文件；下次启动时自动读取此文件） Started without --config: the kiosk reads this file at its next start.</source>
        <translation>(Started without --config: the kiosk reads this file at its next start.)</translation>
    </message>
    <message>
        <source>设备正在使用，稍后再按一次应用  A device is in use; apply again: </source>
        <translation>A device is in use; apply again later: </translation>
    </message>
    <message>
        <source>重启后生效 After a restart: </source>
        <translation>Takes effect after a restart: </translation>
    </message>
    <message>
        <source>已生效，无需重启  In effect now, no restart needed</source>
        <translation>In effect now, no restart needed</translation>
    </message>
</context>
</TS>
