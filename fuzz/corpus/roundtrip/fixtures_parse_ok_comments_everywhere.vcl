# fixture: one small backend with #, // and /* */ comments between every pair of tokens; the first half of the file has LF line endings, the second half CRLF
/* a block comment
   over several lines, with a fake backend x { .host = "no"; } inside */
backend /* 1 */ # 2: a hash comment holding */ and /* which mean nothing here
// 3: a slash comment holding /* that must not open a block comment
	origin_commented /** 4: stars * and slashes / and ** and / * mixed **/ { // 5 {
  /**/ .host /* 6 */ = # 7
  // 8
  "origin.example.com" /* 9 */ ; # 10
  .port
  /* 11 */ = /* 12 */ "443" /* 13 */ ; // 14 }
  .connect_timeout /* 15: a comment over
     two lines with * and / and // and # inside */ = /*16*/ 2s /*17*/ ; /*18*/
  .ssl # 19
  = // 20
  true # 21
  ; /* 22 */ .ssl_check_cert /* 23 */ = /* 24 */ always /* 25 */ ;
  .probe /* 26 */ = /* 27 */ { # 28 }
    .request /* 29 */ = /* 30 */ "HEAD / HTTP/1.1" /* 31 */ "Host: origin.example.com" // 32
      "Connection: close" /* 33 */ ; # 34
    .window /*35*/=/*36*/5/*37*/;/*38*/.threshold/*39*/=/*40*/3/*41*/;
    .initial = 3; /***/ .interval = 5s; /* 42 ** / */ .timeout = 2s;
  /* 43 */ } /* 44 */
/* 45 */ } // 46
# 47: last line, ended by CRLF
