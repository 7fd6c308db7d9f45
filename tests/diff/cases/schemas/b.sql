create schema app;
create schema analytics;
create table app.users (id int primary key, email text, name text);
create table analytics.events (id bigint, user_id int references app.users(id));
create table public.users (id int, app_user int);
create view app.emails as select email, name from app.users;
create view analytics.per_user as select u.email, count(*) from app.users u join analytics.events e on e.user_id = u.id group by u.email;
comment on schema app is 'the application';
