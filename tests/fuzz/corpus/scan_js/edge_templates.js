const t = `a${`b${c}`}d`; const r = /[/]\//g; x = a / b / c;
#!/x
