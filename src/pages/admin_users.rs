//! `/admin/users`, `/admin/users/new`, `/admin/users/{id}`: administrators manage the
//! accounts of their subtree.

use crate::api::admin::{
    CreateUser, ROLES, ResetUserPassword, SetUserActive, UpdateUser, get_grantable, get_user,
    list_users,
};
use crate::components::error::{ErrorPage, field_error, form_error};
use crate::components::form::{FormProblem, Refusal};
use crate::components::format::count;
use crate::components::format::vietnamese_name;
use crate::components::labels::{classification_options, clearance_label, role_label};
use crate::components::pagination::Pagination;
use crate::components::title::page_title;
use crate::i18n::*;
use crate::model::admin::{Grantable, UserDetail, UserFilter, UserPage, UserRow};
use crate::model::nav::encode_query_value;
use crate::model::time::format_datetime;
use crate::model::{Classification, Role};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

fn filter_from_query(query: &leptos_router::params::ParamsMap) -> UserFilter {
    UserFilter {
        q: query.get("q").unwrap_or_default(),
        unit: query.get("unit").unwrap_or_default(),
        role: query.get("role").and_then(|r| r.parse().ok()),
        active: match query.get("status").as_deref() {
            Some("active") => Some(true),
            Some("disabled") => Some(false),
            _ => None,
        },
        page: query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
    }
}

/// The list's address for a filter and page: links keep the filter.
fn list_href(filter: &UserFilter, page: u32) -> String {
    let mut parts = vec![format!("page={page}")];
    if !filter.q.is_empty() {
        parts.push(format!("q={}", encode_query_value(&filter.q)));
    }
    if !filter.unit.is_empty() {
        parts.push(format!("unit={}", encode_query_value(&filter.unit)));
    }
    if let Some(role) = filter.role {
        parts.push(format!("role={role}"));
    }
    match filter.active {
        Some(true) => parts.push("status=active".into()),
        Some(false) => parts.push("status=disabled".into()),
        None => {}
    }
    format!("/admin/users?{}", parts.join("&"))
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| filter_from_query(&query.read()));
    let grantable = Resource::new(|| (), |_| get_grantable());
    let users = Resource::new(move || filter.get(), list_users);
    let body = move || {
        Suspend::new(async move {
            let grantable = match grantable.await {
                Ok(grantable) => grantable,
                Err(error) => return view! { <ErrorPage error /> }.into_any(),
            };
            let listed = users.await;
            view! {
                <p class="lead">{t!(i18n, admin.users_lead, unit = vietnamese_name(grantable.unit.name.clone()))}</p>
                <p>
                    <A href="/admin/users/new" attr:class="button">{t!(i18n, admin.new_user)}</A>
                    " "
                    <A href="/admin/oversight">{t!(i18n, oversight.title)}</A>
                    " "
                    <A href="/admin/audit">{t!(i18n, audit.title)}</A>
                </p>
                <FilterForm filter=filter.get_untracked() />
                {match listed {
                    Ok(page) => view! { <UserTable page filter=filter.get_untracked() /> }.into_any(),
                    Err(error) => {
                        view! {
                            <p class="notice notice-error" role="alert">
                                {form_error(i18n, Some(&error))
                                    .or_else(|| field_error(i18n, Some(&error), "unit"))}
                            </p>
                        }
                            .into_any()
                    }
                }}
            }
            .into_any()
        })
    };
    view! {
        {page_title(move || t_string!(i18n, admin.users_title).to_owned())}
        <section class="page">
            <h1>{t!(i18n, admin.users_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn FilterForm(filter: UserFilter) -> impl IntoView {
    let i18n = use_i18n();
    let status = match filter.active {
        Some(true) => "active",
        Some(false) => "disabled",
        None => "",
    };
    view! {
        <Form method="GET" action="/admin/users" attr:class="filters">
            <div class="field">
                <label for="filter-q">{t!(i18n, admin.filter_q)}</label>
                <input id="filter-q" type="search" name="q" maxlength="100" value=filter.q.clone() />
            </div>
            <div class="field">
                <label for="filter-unit">{t!(i18n, admin.filter_unit)}</label>
                <input
                    id="filter-unit"
                    type="text"
                    name="unit"
                    maxlength="32"
                    value=filter.unit.clone()
                    aria-describedby="filter-unit-hint"
                />
                <p id="filter-unit-hint" class="hint">{t!(i18n, admin.filter_unit_hint)}</p>
            </div>
            <div class="field">
                <label for="filter-role">{t!(i18n, admin.filter_role)}</label>
                <select id="filter-role" name="role">
                    <option value="" selected=filter.role.is_none()>{t!(i18n, admin.any)}</option>
                    {ROLES
                        .into_iter()
                        .map(|role| {
                            view! {
                                <option value=role.as_str() selected=filter.role == Some(role)>
                                    {move || role_label(i18n, role)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-status">{t!(i18n, admin.filter_status)}</label>
                <select id="filter-status" name="status">
                    <option value="" selected=status.is_empty()>{t!(i18n, admin.any)}</option>
                    <option value="active" selected=status == "active">
                        {t!(i18n, admin.status_active)}
                    </option>
                    <option value="disabled" selected=status == "disabled">
                        {t!(i18n, admin.status_disabled)}
                    </option>
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, admin.filter_button)}</button>
                <A href="/admin/users">{t!(i18n, admin.clear_filters)}</A>
            </div>
        </Form>
    }
}

#[component]
fn UserTable(page: UserPage, filter: UserFilter) -> impl IntoView {
    let i18n = use_i18n();
    let UserPage {
        rows,
        total,
        page,
        pages,
    } = page;
    if rows.is_empty() {
        return view! { <p class="notice" role="status">{t!(i18n, admin.no_results)}</p> }
            .into_any();
    }
    let previous = (page > 1).then(|| list_href(&filter, page - 1));
    let next = (page < pages).then(|| list_href(&filter, page + 1));
    view! {
        <p role="status">{move || t_string!(i18n, admin.results, count = count(i18n.get_locale(), total))}</p>
        <div class="table-wrap" tabindex="0">
            <table class="data">
                <caption class="visually-hidden">{t!(i18n, admin.users_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, admin.col_name)}</th>
                        <th scope="col">{t!(i18n, admin.col_username)}</th>
                        <th scope="col">{t!(i18n, admin.col_unit)}</th>
                        <th scope="col">{t!(i18n, admin.col_role)}</th>
                        <th scope="col">{t!(i18n, admin.col_clearance)}</th>
                        <th scope="col">{t!(i18n, admin.col_status)}</th>
                        <th scope="col">{t!(i18n, admin.col_last_login)}</th>
                    </tr>
                </thead>
                <tbody>{rows.into_iter().map(|row| view! { <UserRowView row /> }).collect_view()}</tbody>
            </table>
        </div>
        <Pagination previous next page=u64::from(page) pages=u64::from(pages) />
    }
    .into_any()
}

fn status_text(i18n: leptos_i18n::I18nContext<Locale>, row: &UserRow) -> &'static str {
    if !row.active {
        t_string!(i18n, admin.status_disabled)
    } else if row.locked {
        t_string!(i18n, admin.status_locked)
    } else {
        t_string!(i18n, admin.status_active)
    }
}

#[component]
fn UserRowView(row: UserRow) -> impl IntoView {
    let i18n = use_i18n();
    let status = {
        let row = row.clone();
        move || status_text(i18n, &row)
    };
    view! {
        <tr>
            <th scope="row">
                <A href=format!("/admin/users/{}", row.id)>{row.full_name.clone()}</A>
            </th>
            <td class="code">{row.username.clone()}</td>
            <td>{row.unit.name.clone()}</td>
            <td>{move || role_label(i18n, row.role)}</td>
            <td>{move || clearance_label(i18n, row.clearance)}</td>
            <td>{status}</td>
            <td>{row.last_login_at.map(format_datetime).unwrap_or_default()}</td>
        </tr>
    }
}

/// The fields an administrator sets on an account, for both creating and editing.
#[component]
fn AccountFieldsInputs(
    grantable: Grantable,
    #[prop(optional)] current: Option<UserDetail>,
    refusal: Refusal,
) -> impl IntoView {
    let i18n = use_i18n();
    let locked = current.as_ref().is_some_and(|c| c.is_self);
    let row = current.as_ref().map(|c| c.row.clone());
    let full_name = row
        .as_ref()
        .map(|r| r.full_name.clone())
        .unwrap_or_default();
    let email = current
        .as_ref()
        .and_then(|c| c.email.clone())
        .unwrap_or_default();
    let unit = row
        .as_ref()
        .map(|r| r.unit.code.clone())
        .unwrap_or_else(|| grantable.unit.code.clone());
    let role = row.as_ref().map_or(Role::Officer, |r| r.role);
    let clearance = row
        .as_ref()
        .map_or(Classification::Internal, |r| r.clearance);
    let (full_name, email, unit) = (
        refusal.value("full_name", full_name),
        refusal.value("email", email),
        refusal.value("unit", unit),
    );
    let role = refusal.choice("role", role);
    let clearance = refusal.choice("clearance", clearance);
    let message = move |field: &'static str| refusal.message(field);
    let invalid = move |field: &str| refusal.invalid(field);
    let focus = move |field: &str| refusal.focus(field);
    view! {
        <div class="field">
            <label for="full_name">{t!(i18n, account.full_name)}</label>
            <input
                id="full_name"
                name="full_name"
                type="text"
                required
                maxlength="200"
                value=full_name
                aria-describedby="full_name-error" aria-invalid=invalid("full_name") autofocus=focus("full_name")
            />
            <p id="full_name-error" class="field-error">{message("full_name")}</p>
        </div>
        <div class="field">
            <label for="email">{t!(i18n, account.email)}</label>
            <input
                id="email"
                name="email"
                type="email"
                maxlength="254"
                value=email
                aria-describedby="email-error" aria-invalid=invalid("email") autofocus=focus("email")
            />
            <p id="email-error" class="field-error">{message("email")}</p>
        </div>
        {if locked {
            // Administrators cannot change their own unit, role or clearance.
            view! {
                <input type="hidden" name="unit" value=unit />
                <input type="hidden" name="role" value=role.as_str() />
                <input type="hidden" name="clearance" value=clearance.as_str() />
                <p class="notice">{t!(i18n, admin.self_note)}</p>
            }
                .into_any()
        } else {
            view! {
                <div class="field">
                    <label for="unit">{t!(i18n, account.unit)}</label>
                    <input
                        id="unit"
                        name="unit"
                        type="text"
                        required
                        maxlength="32"
                        value=unit
                        aria-describedby="unit-hint unit-error" aria-invalid=invalid("unit") autofocus=focus("unit")
                    />
                    <p id="unit-hint" class="hint">{t!(i18n, admin.unit_hint)}</p>
                    <p id="unit-error" class="field-error">{message("unit")}</p>
                </div>
                <div class="field">
                    <label for="role">{t!(i18n, account.role)}</label>
                    <select id="role" name="role" aria-describedby="role-error" aria-invalid=invalid("role") autofocus=focus("role")>
                        {ROLES
                            .into_iter()
                            .map(|option| {
                                view! {
                                    <option value=option.as_str() selected=option == role>
                                        {move || role_label(i18n, option)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p id="role-error" class="field-error">{message("role")}</p>
                </div>
                <div class="field">
                    <label for="clearance">{t!(i18n, account.clearance)}</label>
                    <select id="clearance" name="clearance" aria-describedby="clearance-error" aria-invalid=invalid("clearance") autofocus=focus("clearance")>
                        {classification_options(
                            i18n,
                            grantable.clearances.clone(),
                            Some(clearance),
                        )}
                    </select>
                    <p id="clearance-error" class="field-error">{message("clearance")}</p>
                </div>
            }
                .into_any()
        }}
    }
}

#[component]
pub fn AdminUserNewPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateUser>::new();
    let grantable = Resource::new(|| (), |_| get_grantable());
    let refusal = Refusal::of(create);
    let body = move || {
        Suspend::new(async move {
            match grantable.await {
                Ok(grantable) => view! {
                    <ActionForm action=create attr:class="form narrow" attr:novalidate=true>
                        <FormProblem refusal />
                        <div class="field">
                            <label for="username">{t!(i18n, account.username)}</label>
                            <input
                                id="username"
                                name="username"
                                type="text"
                                required
                                maxlength="64"
                                autocapitalize="none"
                                spellcheck="false"
                                value=refusal.value("username", "")
                                aria-describedby="username-hint username-error"
                                aria-invalid=refusal.invalid("username")
                                autofocus=refusal.focus("username")
                            />
                            <p id="username-hint" class="hint">{t!(i18n, admin.username_hint)}</p>
                            <p id="username-error" class="field-error">{refusal.message("username")}</p>
                        </div>
                        <AccountFieldsInputs grantable refusal />
                        <button type="submit">{t!(i18n, admin.create_button)}</button>
                    </ActionForm>
                }
                .into_any(),
                Err(error) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        {page_title(move || t_string!(i18n, admin.create_title).to_owned())}
        <section class="page">
            <p><A href="/admin/users">{t!(i18n, admin.back)}</A></p>
            <h1>{t!(i18n, admin.create_title)}</h1>
            <p class="lead">{t!(i18n, admin.create_lead)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
pub fn AdminUserPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(0)
    });
    let update = ServerAction::<UpdateUser>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let grantable = Resource::new(|| (), |_| get_grantable());
    // Read again after every action, so that a refused edit shows the latest details.
    let user = Resource::new(
        move || {
            (
                id.get(),
                update.version().get(),
                set_active.version().get(),
                reset.version().get(),
            )
        },
        |(id, ..)| get_user(id),
    );
    let error = Signal::derive(move || {
        update
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| set_active.value().get().and_then(Result::err))
            .or_else(|| reset.value().get().and_then(Result::err))
    });
    let done = move || match query.read().get("done").as_deref() {
        Some("created") => Some(t_string!(i18n, admin.created_done)),
        Some("saved") => Some(t_string!(i18n, admin.saved_done)),
        Some("disabled") => Some(t_string!(i18n, admin.disabled_done)),
        Some("enabled") => Some(t_string!(i18n, admin.enabled_done)),
        Some("reset") => Some(t_string!(i18n, admin.reset_done)),
        _ => None,
    };
    let body = move || {
        Suspend::new(async move {
            let (grantable, user) = (grantable.await, user.await);
            match (grantable, user) {
                (Ok(grantable), Ok(user)) => view! {
                    <UserView user grantable update set_active reset />
                }
                .into_any(),
                (Err(error), _) | (_, Err(error)) => view! { <ErrorPage error /> }.into_any(),
            }
        })
    };
    view! {
        <section class="page">
            <p><A href="/admin/users">{t!(i18n, admin.back)}</A></p>
            {move || {
                // A success message only when no action has failed since.
                done()
                    .filter(|_| error.get().is_none())
                    .map(|text| view! { <p class="notice notice-ok" role="status">{text}</p> })
            }}
            <Suspense fallback=move || view! { <p>{t!(i18n, common.loading)}</p> }>{body}</Suspense>
        </section>
    }
}

#[component]
fn UserView(
    user: UserDetail,
    grantable: Grantable,
    update: ServerAction<UpdateUser>,
    set_active: ServerAction<SetUserActive>,
    reset: ServerAction<ResetUserPassword>,
) -> impl IntoView {
    let i18n = use_i18n();
    let edit = Refusal::of(update);
    // Disabling and resetting have no fields: their refusals are sentences at the top.
    let action_error = Signal::derive(move || {
        set_active
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| reset.value().get().and_then(Result::err))
    });
    let row = user.row.clone();
    let status = {
        let row = row.clone();
        move || status_text(i18n, &row)
    };
    let yes_no = move |value: bool| {
        if value {
            t_string!(i18n, admin.yes)
        } else {
            t_string!(i18n, admin.no)
        }
    };
    let must_change = user.must_change_password;
    let is_self = user.is_self;
    let version = user.version;
    let created_at = user.created_at;
    let new_password = user.new_password.clone();
    view! {
        <Title text=row.full_name.clone() />
        <h1>{row.full_name.clone()}</h1>
        {new_password
            .map(|password| {
                view! {
                    <div class="notice notice-ok one-time" role="status">
                        <p>
                            <strong>{t!(i18n, admin.new_password)} ": "</strong>
                            <code class="secret">{password}</code>
                        </p>
                        <p>{t!(i18n, admin.new_password_note)}</p>
                    </div>
                }
            })}
        {move || {
            form_error(i18n, action_error.get().as_ref())
                .map(|text| view! { <p class="notice notice-error" role="alert">{text}</p> })
        }}
        <dl class="facts">
            <div>
                <dt>{t!(i18n, account.username)}</dt>
                <dd class="code">{row.username.clone()}</dd>
            </div>
            <div>
                <dt>{t!(i18n, account.unit)}</dt>
                <dd>
                    <A href=format!("/units/{}", row.unit.code)>{row.unit.name.clone()}</A>
                </dd>
            </div>
            <div>
                <dt>{t!(i18n, admin.col_status)}</dt>
                <dd>{status}</dd>
            </div>
            <div>
                <dt>{t!(i18n, admin.created_at)}</dt>
                <dd>{format_datetime(created_at)}</dd>
            </div>
            <div>
                <dt>{t!(i18n, account.last_login)}</dt>
                <dd>{row.last_login_at.map(format_datetime).unwrap_or_default()}</dd>
            </div>
            <div>
                <dt>{t!(i18n, admin.must_change)}</dt>
                <dd>{move || yes_no(must_change)}</dd>
            </div>
        </dl>

        <section aria-labelledby="edit-heading">
            <h2 id="edit-heading">{t!(i18n, admin.edit_title)}</h2>
            <ActionForm action=update attr:class="form narrow" attr:novalidate=true>
                <input type="hidden" name="id" value=row.id />
                <input type="hidden" name="version" value=version />
                <FormProblem refusal=edit />
                <AccountFieldsInputs grantable current=user refusal=edit />
                <button type="submit">{t!(i18n, admin.save_button)}</button>
            </ActionForm>
        </section>

        <section aria-labelledby="actions-heading">
            <h2 id="actions-heading">{t!(i18n, admin.actions)}</h2>
            {(!is_self)
                .then(|| {
                    let active = row.active;
                    view! {
                        <ActionForm action=set_active attr:class="action-row">
                            <input type="hidden" name="id" value=row.id />
                            <input type="hidden" name="active" value=(!active).to_string() />
                            <button type="submit" class="secondary">
                                {move || {
                                    if active {
                                        t_string!(i18n, admin.disable)
                                    } else {
                                        t_string!(i18n, admin.enable)
                                    }
                                }}
                            </button>
                            <span class="hint">{t!(i18n, admin.disable_hint)}</span>
                        </ActionForm>
                    }
                })}
            {if is_self {
                view! {
                    <p class="hint">
                        {t!(i18n, admin.own_password)} " "
                        <A href="/account">{t!(i18n, account.title)}</A>
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ActionForm action=reset attr:class="action-row">
                        <input type="hidden" name="id" value=row.id />
                        <button type="submit" class="secondary">{t!(i18n, admin.reset)}</button>
                        <span class="hint">{t!(i18n, admin.reset_hint)}</span>
                    </ActionForm>
                }
                    .into_any()
            }}
        </section>
    }
}
