create schema app;
create schema old_stuff;
create table app.users (id int primary key, email text);
create table old_stuff.junk (id int);
create table public.users (id int);
create view app.emails as select email from app.users;
comment on schema app is 'the app';
