// expect: js-dynamic-code
setTimeout('alert(1)', 100);
