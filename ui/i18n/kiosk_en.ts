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
    <message>
        <source>%1 办事指南</source>
        <translation>%1: service guide</translation>
    </message>
    <message>
        <source>办事指南，可带回家阅读</source>
        <translation>Service guide to take home</translation>
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
        <translation>Type a service name or pinyin initials, e.g. sfz (ID card)</translation>
    </message>
    <message>
        <source>搜索办事指南</source>
        <translation>Search service guides</translation>
    </message>
    <message>
        <source>办事指南暂时无法使用，请咨询工作人员。</source>
        <translation>Service guides are unavailable at the moment. Please ask the staff.</translation>
    </message>
    <message>
        <source>「%1」的搜索结果</source>
        <translation>Results for “%1”</translation>
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
        <translation>(showing the first %1; type more to narrow the list)</translation>
    </message>
    <message>
        <source>在「%1」中</source>
        <translation>in “%1”</translation>
    </message>
    <message>
        <source>%1没有找到相关事项。试试拼音首字母，如 sfz（身份证）；或者选「全部」再找。</source>
        <translation>%1 nothing found. Try pinyin initials, e.g. sfz (ID card), or choose “All” and search again.</translation>
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
        <source>请到服务窗口找工作人员，或在此稍候。</source>
        <translation>Please go to a service counter, or wait here.</translation>
    </message>
    <message>
        <source>返回 Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>本机无法发出通知，请到服务窗口。
This terminal cannot notify staff.</source>
        <translation>This terminal cannot notify staff.
Please go to a service counter.</translation>
    </message>
    <message>
        <source>正在通知工作人员…
Notifying staff…</source>
        <translation>Notifying staff…</translation>
    </message>
    <message>
        <source>已通知工作人员，请稍候。
Staff have been notified. Please wait.</source>
        <translation>Staff have been notified. Please wait.</translation>
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
    <name>MainWindow</name>
    <message>
        <source>政务服务自助终端</source>
        <translation>Government self-service terminal</translation>
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
        <source>没有打印成功</source>
        <translation>Printing failed</translation>
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
        <source>网络：已连接</source>
        <translation>Network: connected</translation>
    </message>
    <message>
        <source>网络：离线，申报将在联网后发送</source>
        <translation>Network: offline; applications will be sent when online</translation>
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
</TS>
